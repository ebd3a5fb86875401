/**
 * Names a scenario gives that become folder names (the scenario's name, an experiment's arms):
 * plain names only, so a folder built from one stays inside the folder it is built under.
 */
export const FOLDER_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Why, for the error messages. */
export const FOLDER_NAME_WHY = '"." or ".." would leave the output folder, a leading dot would hide it';
