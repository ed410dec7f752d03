// Every table of the platform, re-exported from the module that owns it (drizzle-kit reads this file).
export * from '../modules/accounts/schema';
export * from '../modules/admin-units/schema';
export * from '../modules/audit/schema';
export * from '../modules/certificates/schema';
export * from '../modules/criteria/schema';
export * from '../modules/evaluation/schema';
export * from '../modules/imports/schema';
export * from '../modules/notifications/schema';
export * from '../modules/products/schema';
export * from '../modules/subjects/schema';
export * from '../modules/verification/schema';
