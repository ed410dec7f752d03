/**
 * What other modules and the server may use of the administrative units (reference data).
 * `communes` and `provinces` are exported as read-only reference tables that registers join to
 * show and filter by place; only this module writes them (`loadAdminUnits`).
 */

export { type CommuneNames, communeNames } from './commune-names';
export * from './contract';
export { adminUnitsGeneration, loadAdminUnits, manifestChecksum } from './load';
export { adminUnitRoutes } from './routes';
export { communes, provinces } from './schema';
export { adminUnitIndex, getCommune, getProvince, resolveAddresses } from './service';
