// The slice of autocannon@9's API the benchmark uses (the package ships no types; adding
// @types/autocannon for four fields is not worth a dependency).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  type Options = {
    url: string;
    connections?: number;
    duration?: number;
    timeout?: number;
    headers?: Record<string, string>;
    requests?: { method?: string; path?: string; headers?: Record<string, string> }[];
  };
  type Result = {
    duration: number;
    non2xx: number;
    errors: number;
    timeouts: number;
    requests: { total: number; average: number };
    latency: { p50: number; p99: number; average: number; max: number };
  };
  type Instance = EventEmitter & PromiseLike<Result>;

  export default function autocannon(options: Options): Instance;
}
