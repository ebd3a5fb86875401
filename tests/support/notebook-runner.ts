/**
 * Executes a Jupyter notebook with the tslab TypeScript kernel and no Jupyter installation: a
 * minimal client of the Jupyter messaging protocol (v5.3) over ZeroMQ. It starts the kernel with
 * a connection file, sends every code cell in order as an `execute_request` on the shell socket,
 * collects the cell's outputs from the iopub socket until the kernel is idle again, and stops at
 * the first cell that fails, as `jupyter nbconvert --execute` does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Dealer, Subscriber } from 'zeromq';

const TSLAB = resolve(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tslab');
const DELIMITER = '<IDS|MSG>';

export interface RunNotebookOptions {
  /** Extra environment for the kernel, on top of this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** How long one cell may run, like nbconvert's ExecutePreprocessor.timeout. */
  readonly cellTimeoutMs?: number;
}

export interface NotebookOutput {
  readonly cell: number;
  readonly type: 'stream' | 'execute_result' | 'display_data' | 'error';
  /** The stream's text, or the text/plain form of a result, or "ename: evalue" of an error. */
  readonly text: string;
}

export interface ExecutedNotebook {
  readonly outputs: readonly NotebookOutput[];
  /** Every output's text, in cell order. */
  readonly text: string;
}

interface Message {
  readonly header: { msg_id: string; msg_type: string };
  readonly parent_header: { msg_id?: string };
  readonly content: Record<string, unknown>;
}

/**
 * Runs `notebook`'s code cells in a fresh tslab kernel whose working directory is the notebook's
 * folder (so relative imports resolve as in Jupyter). Throws "<name> failed to execute" with the
 * failing cell's source and the kernel's error text if a cell fails.
 */
export async function runNotebook(notebook: string, options: RunNotebookOptions = {}): Promise<ExecutedNotebook> {
  const cells = codeCells(notebook);
  const kernel = await KernelClient.start(dirname(resolve(notebook)), options.env ?? {});
  try {
    const outputs: NotebookOutput[] = [];
    for (const [index, source] of cells.entries()) {
      const cell = await kernel.execute(source, options.cellTimeoutMs ?? 120_000);
      outputs.push(...cell.outputs.map((output) => ({ ...output, cell: index })));
      if (!cell.ok) {
        const said = cell.outputs.map((o) => o.text).join('');
        throw new Error(`${basename(notebook)} failed to execute: code cell ${index + 1} failed\n${source}\n------\n${said}`);
      }
    }
    return { outputs, text: outputs.map((o) => o.text).join('') };
  } finally {
    await kernel.stop();
  }
}

function codeCells(notebook: string): string[] {
  const doc = JSON.parse(readFileSync(notebook, 'utf8')) as { cells?: { cell_type?: string; source?: string | string[] }[] };
  if (!Array.isArray(doc.cells)) throw new Error(`${notebook}: not a notebook (no "cells" array)`);
  return doc.cells
    .filter((cell) => cell.cell_type === 'code')
    .map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : (cell.source ?? '')));
}

/** One kernel process and the client's shell, control and iopub sockets. */
class KernelClient {
  private readonly session = randomUUID();
  private readonly iopubQueue = new MessageQueue();
  private readonly shellQueue = new MessageQueue();
  private stderr = '';
  private stopping = false;

  private constructor(
    private readonly process: ChildProcess,
    private readonly key: string,
    private readonly shell: Dealer,
    private readonly control: Dealer,
    private readonly iopub: Subscriber,
    private readonly scratch: string,
  ) {
    process.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    process.once('error', (error) => this.iopubQueue.fail(new Error(`cannot start the tslab kernel (${TSLAB}): ${error.message}`)));
    // A kernel that dies mid-cell must fail the cell now, not after its timeout.
    process.once('exit', (code, signal) => {
      if (!this.stopping) this.iopubQueue.fail(new Error(`the tslab kernel exited (${signal ?? `code ${code}`}):\n${this.stderr}`));
    });
    void this.pump(iopub, this.iopubQueue);
    void this.pump(shell, this.shellQueue);
  }

  static async start(cwd: string, env: NodeJS.ProcessEnv): Promise<KernelClient> {
    const scratch = mkdtempSync(join(tmpdir(), 'recloop-kernel-'));
    const key = randomBytes(32).toString('hex');
    const [shellPort, iopubPort, stdinPort, controlPort, hbPort] = await freePorts(5);
    const connection = join(scratch, 'connection.json');
    writeFileSync(
      connection,
      JSON.stringify({
        transport: 'tcp',
        ip: '127.0.0.1',
        shell_port: shellPort,
        iopub_port: iopubPort,
        stdin_port: stdinPort,
        control_port: controlPort,
        hb_port: hbPort,
        key,
        signature_scheme: 'hmac-sha256',
      }),
    );
    const child = spawn(TSLAB, ['kernel', '--config-path', connection], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    const address = (port: number): string => `tcp://127.0.0.1:${port}`;
    // A send to a kernel that is gone would wait forever; give up after a while instead.
    const shell = new Dealer({ linger: 0, sendTimeout: 10_000 });
    const control = new Dealer({ linger: 0, sendTimeout: 2_000 });
    const iopub = new Subscriber({ linger: 0 });
    shell.connect(address(shellPort));
    control.connect(address(controlPort));
    iopub.connect(address(iopubPort));
    iopub.subscribe();
    const client = new KernelClient(child, key, shell, control, iopub, scratch);
    try {
      await client.waitUntilReady();
    } catch (error) {
      await client.stop();
      throw error;
    }
    return client;
  }

  /**
   * The kernel answers on shell once it has bound its sockets, but iopub messages published before
   * our subscription reached it are lost; so ask for kernel info until its status arrives on iopub.
   */
  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const id = await this.send(this.shell, 'kernel_info_request', {});
      const status = await this.iopubQueue.next((m) => m.parent_header.msg_id === id && m.header.msg_type === 'status', 500);
      if (status !== undefined) {
        await this.shellQueue.next((m) => m.parent_header.msg_id === id, 10_000);
        return;
      }
    }
    throw new Error(`the tslab kernel did not answer within 60 s:\n${this.stderr}`);
  }

  async execute(code: string, timeoutMs: number): Promise<{ ok: boolean; outputs: Omit<NotebookOutput, 'cell'>[] }> {
    const id = await this.send(this.shell, 'execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    const deadline = Date.now() + timeoutMs;
    const outputs: Omit<NotebookOutput, 'cell'>[] = [];
    const mine = (m: Message): boolean => m.parent_header.msg_id === id;
    // Outputs arrive on iopub, followed by the status "idle" that closes the request.
    for (;;) {
      const message = await this.iopubQueue.next(mine, deadline - Date.now());
      if (message === undefined) throw new Error(`a cell ran longer than ${timeoutMs / 1000} s:\n${code}`);
      const output = outputOf(message);
      if (output !== undefined) outputs.push(output);
      if (message.header.msg_type === 'status' && message.content.execution_state === 'idle') break;
    }
    const reply = await this.shellQueue.next(mine, Math.max(deadline - Date.now(), 5_000));
    if (reply === undefined) throw new Error(`no execute_reply for a cell:\n${code}`);
    return { ok: reply.content.status === 'ok' && !outputs.some((o) => o.type === 'error'), outputs };
  }

  /** Asks the kernel to shut down, and kills it if it has not exited within a few seconds. */
  async stop(): Promise<void> {
    this.stopping = true;
    const gone = this.process.pid === undefined || this.process.exitCode !== null || this.process.signalCode !== null;
    const exited = new Promise<void>((done) => (gone ? done() : this.process.once('exit', () => done())));
    try {
      if (!gone) {
        await this.send(this.control, 'shutdown_request', { restart: false });
        await Promise.race([exited, sleep(5_000)]);
      }
    } catch {
      // A kernel that cannot take the request is killed below.
    } finally {
      if (!gone && this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
      await exited;
      for (const socket of [this.shell, this.control, this.iopub]) socket.close();
      rmSync(this.scratch, { recursive: true, force: true });
    }
  }

  private async send(socket: Dealer, type: string, content: object): Promise<string> {
    const header = { msg_id: randomUUID(), msg_type: type, session: this.session, username: 'recloop', date: new Date().toISOString(), version: '5.3' };
    const parts = [header, {}, {}, content].map((part) => JSON.stringify(part));
    await socket.send([DELIMITER, this.sign(parts), ...parts]);
    return header.msg_id;
  }

  private sign(parts: readonly (string | Buffer)[]): string {
    const hmac = createHmac('sha256', this.key);
    for (const part of parts) hmac.update(part);
    return hmac.digest('hex');
  }

  /** Verifies and decodes every message a socket receives, until the socket is closed. */
  private async pump(socket: Dealer | Subscriber, queue: MessageQueue): Promise<void> {
    try {
      for await (const frames of socket) {
        const at = frames.findIndex((frame) => frame.toString() === DELIMITER);
        if (at < 0) continue;
        const [signature, header, parent, metadata, content] = frames.slice(at + 1);
        if (signature.toString() !== this.sign([header, parent, metadata, content])) throw new Error('a kernel message with a wrong signature');
        queue.push({ header: JSON.parse(header.toString()), parent_header: JSON.parse(parent.toString()), content: JSON.parse(content.toString()) } as Message);
      }
    } catch (error) {
      // Closing the socket ends the loop with an error; anything else is the kernel misbehaving.
      if (!socket.closed) queue.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

function outputOf(message: Message): Omit<NotebookOutput, 'cell'> | undefined {
  const { msg_type: type } = message.header;
  const content = message.content;
  if (type === 'stream') return { type, text: String(content.text ?? '') };
  if (type === 'execute_result' || type === 'display_data') {
    const data = content.data as Record<string, unknown> | undefined;
    return { type, text: typeof data?.['text/plain'] === 'string' ? data['text/plain'] : '' };
  }
  if (type === 'error') return { type, text: `${String(content.ename)}: ${String(content.evalue)}\n` };
  return undefined;
}

/** Messages received but not yet taken, and the takers waiting for one that matches. */
class MessageQueue {
  private readonly messages: Message[] = [];
  private readonly waiting: { match: (m: Message) => boolean; take: (m: Message | undefined) => void; fail: (e: Error) => void }[] = [];
  private failure: Error | undefined;

  push(message: Message): void {
    const taker = this.waiting.findIndex((w) => w.match(message));
    if (taker >= 0) this.waiting.splice(taker, 1)[0].take(message);
    else this.messages.push(message);
  }

  /** From now on every taker, waiting or later, gets `error`. */
  fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.splice(0)) waiter.fail(error);
  }

  /** The first message that matches, or undefined after `timeoutMs`. */
  next(match: (m: Message) => boolean, timeoutMs: number): Promise<Message | undefined> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const at = this.messages.findIndex(match);
    if (at >= 0) return Promise.resolve(this.messages.splice(at, 1)[0]);
    return new Promise((done, reject) => {
      const waiter = {
        match,
        take: (m: Message | undefined): void => {
          clearTimeout(timer);
          done(m);
        },
        fail: (error: Error): void => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        done(undefined);
      }, Math.max(timeoutMs, 0));
      this.waiting.push(waiter);
    });
  }
}

/** Ports the OS hands out as free; the kernel binds them a moment later. */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(
    servers.map((server) => new Promise<number>((done, fail) => server.once('error', fail).listen(0, '127.0.0.1', () => done((server.address() as { port: number }).port)))),
  );
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
