import type { Config } from '../../src/config';
import type { Database } from '../../src/db/client';
import type { Actor, RequestContext } from '../../src/server/context';

/** A service context acting as the demo province's administrator (the demo seed must have run). */
export async function demoAdminContext(database: Database, config: Config): Promise<RequestContext> {
  const [admin] = await database.db.query.users.findMany({
    where: (u, { eq }) => eq(u.email, 'quantri@demo.ocop.vn'),
  });
  if (!admin) throw new Error('the demo administrator is missing: run seedDemo first');
  const actor: Actor = {
    userId: admin.id,
    email: admin.email,
    fullName: admin.fullName,
    role: 'system_admin',
    provinceCode: null,
    communeCode: null,
    subjectIds: [],
    sessionId: 'test',
    csrfToken: 'test',
  };
  return { database, config, actor, lang: 'vi', ip: '127.0.0.1' };
}
