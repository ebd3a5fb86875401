/**
 * What must happen when recloop is stopped by SIGINT (Ctrl-C), SIGTERM or SIGHUP, or exits
 * early: remove staging folders, stop worker processes; or, for a run that checkpoints, stop
 * after the epoch in progress (`onStopRequest`). Hooks are plain synchronous functions;
 * the signal handlers are installed only while a hook is registered, so a process with none
 * keeps Node's default behaviour.
 *
 * Signal handlers run between JavaScript tasks, so a busy thread is stopped at its next pause
 * (a population run: at the end of the epoch in progress). After the hooks the signal is raised
 * again with no handler left, so the process still ends the way the signal asks.
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const hooks = new Set<() => void>();
/** Asked to stop at its next good point on the first signal, instead of the process ending then. */
let stopper: (() => void) | undefined;
let installed = false;

/** Runs `hook` if the process is stopped or exits before the returned function is called. */
export function onInterrupt(hook: () => void): () => void {
  const entry = (): void => hook();
  hooks.add(entry);
  install();
  return () => {
    if (hooks.delete(entry)) uninstallIfIdle();
  };
}

/**
 * While registered, the first signal calls `stop` (a run then ends after its epoch, resumable)
 * and the process goes on; a second one ends it as usual.
 */
export function onStopRequest(stop: () => void): () => void {
  stopper = stop;
  install();
  return () => {
    if (stopper === stop) stopper = undefined;
    uninstallIfIdle();
  };
}

function uninstallIfIdle(): void {
  if (hooks.size === 0 && stopper === undefined) uninstall();
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('exit', runHooks);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const signal of SIGNALS) process.off(signal, onSignal);
  process.off('exit', runHooks);
}

function runHooks(): void {
  const pending = [...hooks];
  hooks.clear();
  for (const hook of pending) {
    try {
      hook();
    } catch {
      // One failing hook must not keep the others from running.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  const stop = stopper;
  if (stop) {
    stopper = undefined;
    stop();
    return;
  }
  runHooks();
  uninstall();
  process.kill(process.pid, signal);
}
