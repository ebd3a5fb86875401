/** Growing the typed arrays that hot loops index by id. */

type NumericArray = Int32Array | Uint8Array | Float32Array | Float64Array;

/** A new array of the same type holding `array`'s values, then zeros up to `capacity`. */
export function grown<T extends NumericArray>(array: T, capacity: number): T {
  const Type = array.constructor as new (length: number) => T;
  const next = new Type(capacity);
  next.set(array);
  return next;
}
