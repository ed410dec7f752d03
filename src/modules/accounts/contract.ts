import { z } from 'zod';
import { requiredText } from '../../shared/fields';
import { ROLES } from './roles';
import { passwordProblem } from './rules';

/** Shapes of the accounts API, shared with the web app (no server imports here). */
const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'email.format' }));
const password = z
  .string()
  .max(200)
  .superRefine((p, context) => {
    const problem = passwordProblem(p, { demo: true });
    if (problem) context.addIssue({ code: 'custom', message: `password.${problem}` });
  });
const name = requiredText(200);

export const loginBody = z.object({
  email: z.string().trim().toLowerCase().max(254).min(1),
  password: z.string().min(1).max(200),
});

export const userView = z.object({
  id: z.string(),
  email: z.string(),
  fullName: z.string(),
  role: z.enum(ROLES),
  provinceCode: z.string().nullable(),
  communeCode: z.string().nullable(),
  subjectIds: z.array(z.string()),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: z.date(),
  lastLoginAt: z.date().nullable(),
});
export type UserView = z.infer<typeof userView>;

export const sessionView = z.object({ user: userView, csrfToken: z.string() });

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: password,
});

/** The area a role is limited to; which fields a role needs is checked by rules.checkRoleScope. */
const scopeFields = {
  provinceCode: z
    .string()
    .regex(/^\d{2}$/)
    .nullish(),
  communeCode: z
    .string()
    .regex(/^\d{5}$/)
    .nullish(),
  subjectIds: z.array(z.string().uuid()).max(100).optional(),
};

export const createUserBody = z.strictObject({
  email,
  fullName: name,
  password,
  role: z.enum(ROLES),
  ...scopeFields,
});
export type CreateUserInput = z.infer<typeof createUserBody>;

export const updateUserBody = z.strictObject({
  fullName: name.optional(),
  role: z.enum(ROLES).optional(),
  ...scopeFields,
  active: z.boolean().optional(),
});
export type UpdateUserInput = z.infer<typeof updateUserBody>;

export const resetPasswordBody = z.object({ newPassword: password });

export const listUsersQuery = z.object({
  q: z.string().max(200).optional(),
  role: z.enum(ROLES).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** The council-member directory officers seat councils from: who they are, nothing about their scope. */
export const councilMembersQuery = z.strictObject({ q: z.string().trim().max(200).optional() });
export const councilMemberDirectory = z.object({
  items: z.array(z.object({ id: z.string(), fullName: z.string(), email: z.string() })),
  /** True when more accounts match than the page holds: narrow the search. */
  more: z.boolean(),
});
export type CouncilMemberDirectory = z.infer<typeof councilMemberDirectory>;

export const userPage = z.object({
  items: z.array(userView),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

/** The role vocabulary, shared with the web app. */
export * from './roles';
