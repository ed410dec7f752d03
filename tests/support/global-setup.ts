import type { TestProject } from 'vitest/node';
import { buildTemplate, type TemplateInfo } from './template-database';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseTemplate: TemplateInfo;
  }
}

export default async function setup(project: TestProject) {
  const { template, stop } = await buildTemplate();
  project.provide('databaseTemplate', template);
  return stop;
}
