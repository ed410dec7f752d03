import { createRoutesFromElements, matchRoutes, Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { councilRoutes } from './routes';

/** The evaluation area's nested routes, as App.tsx places them beside these flat ones. */
const routes = createRoutesFromElements(
  <Route path="/">
    <Route path="evaluation">
      <Route index />
      <Route path="cycles/:id" id="cycle" />
      <Route path="dossiers/:id" id="dossier" />
    </Route>
    {councilRoutes()}
    <Route path="*" id="not-found" />
  </Route>,
);

const leaf = (path: string) => {
  const match = matchRoutes(routes, path)?.at(-1);
  return { path: match?.route.path, params: match?.params };
};

describe('councilRoutes', () => {
  it('wins over the evaluation area for its own paths, beside it', () => {
    expect(leaf('/evaluation/cycles/c-1/council')).toEqual({
      path: 'evaluation/cycles/:id/council',
      params: { id: 'c-1' },
    });
    expect(leaf('/evaluation/cycles/c-1/results').path).toBe('evaluation/cycles/:id/results');
    expect(leaf('/evaluation/decisions/d-1')).toEqual({
      path: 'evaluation/decisions/:id',
      params: { id: 'd-1' },
    });
    expect(leaf('/evaluation/cycles/c-1').path).toBe('cycles/:id');
  });
});
