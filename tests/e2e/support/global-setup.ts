import type { TestProject } from 'vitest/node';
import { ensureChromium } from './chromium';
import { type E2eServer, startServer } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    e2eServer: E2eServer;
  }
}

/** One server for the whole browser run (start-up with the demo province costs seconds, journeys share it). */
export default async function setup(project: TestProject) {
  ensureChromium();
  const { server, stop } = await startServer();
  project.provide('e2eServer', server);
  return stop;
}
