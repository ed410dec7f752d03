import { createUser } from '../src/modules/accounts';
import { createUserBody } from '../src/modules/accounts/contract';
import { describeIssues } from '../src/server/validation';
import { parseArgs, runCli } from './cli';

const usage = 'Usage: npm run admin:create -- --email E --password P [--name "Full name"]';

await runCli(async (ctx) => {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args.email !== 'string' || typeof args.password !== 'string') {
    console.error(usage);
    return 2;
  }
  const parsed = createUserBody.safeParse({
    email: args.email,
    password: args.password,
    fullName: typeof args.name === 'string' ? args.name : 'Quản trị hệ thống',
    role: 'system_admin',
  });
  if (!parsed.success) {
    for (const issue of describeIssues(parsed.error.issues, 'input'))
      console.error(`${issue.path}: ${issue.en}`);
    return 2;
  }
  const user = await createUser({ ctx, input: parsed.data });
  console.log(`System administrator created: ${user.email}`);
  return 0;
});
