/**
 * What must happen when recloop is stopped by SIGINT (Ctrl-C), SIGTERM or SIGHUP, or exits
 * early: remove staging folders, stop worker processes. Hooks are plain synchronous functions;
 * the signal handlers are installed only while a hook is registered, so a process with none
 * keeps Node's default behaviour.
 *
 * Signal handlers run between JavaScript tasks, so a busy thread is stopped at its next pause
 * (a population run: at the end of the epoch in progress). After the hooks the signal is raised
 * again with no handler left, so the process still ends the way the signal asks.
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const hooks = new Set<() => void>();

/** Runs `hook` if the process is stopped or exits before the returned function is called. */
export function onInterrupt(hook: () => void): () => void {
  const entry = (): void => hook();
  hooks.add(entry);
  if (hooks.size === 1) install();
  return () => {
    if (hooks.delete(entry) && hooks.size === 0) uninstall();
  };
}

function install(): void {
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('exit', runHooks);
}

function uninstall(): void {
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
  runHooks();
  uninstall();
  process.kill(process.pid, signal);
}
