// What a server process spends per request, read from outside it (Linux /proc): user and system CPU time.
// Under load on shared cores a throughput or a sampling profile mixes in the time the process waited for a
// core (V8's profiler samples wall time, so a write the kernel preempted looks long); CPU time does not.
import * as fs from 'node:fs';
import * as net from 'node:net';

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface CpuTimes {
  userMs: number;
  systemMs: number;
}

/** User and system CPU time of `pid` so far; null where /proc cannot be read. */
export function cpuTimes(pid: number): CpuTimes | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the state, field 3; utime is 14.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      userMs: (Number(fields[11]) * 1000) / TICKS_PER_SECOND,
      systemMs: (Number(fields[12]) * 1000) / TICKS_PER_SECOND,
    };
  } catch {
    return null;
  }
}

/** µs of CPU (user + system) per request between two readings; null when either is missing. */
export function cpuUsPerRequest(before: CpuTimes | null, after: CpuTimes | null, requests: number): number | null {
  if (!before || !after || requests === 0) return null;
  return ((after.userMs - before.userMs + after.systemMs - before.systemMs) * 1000) / requests;
}

export interface ReplyBytes {
  /** Header lines after the status line. */
  headerLines: number;
  /** Bytes from the status line to the blank line that ends the headers, both included. */
  headerBytes: number;
  bodyBytes: number;
  /** The header names, in order. */
  names: string[];
}

/** One keep-alive GET over a plain socket, and the size of what came back: what a client reads per request. */
export function replyBytes(url: string, headers: Record<string, string>): Promise<ReplyBytes> {
  const target = new URL(url);
  const lines = Object.entries({ host: target.host, ...headers }).map(([name, value]) => `${name}: ${value}\r\n`);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(target.port), target.hostname);
    let received = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = received.subarray(0, end + 4).toString('latin1');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (received.length < end + 4 + length) return;
      const headerLines = head.split('\r\n').slice(1, -2);
      socket.destroy();
      resolve({
        headerLines: headerLines.length,
        headerBytes: end + 4,
        bodyBytes: length,
        names: headerLines.map((line) => line.slice(0, line.indexOf(':'))),
      });
    });
    socket.write(`GET ${target.pathname}${target.search} HTTP/1.1\r\n${lines.join('')}\r\n`);
  });
}
