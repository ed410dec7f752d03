import { provideVerificationPaths } from '../certificates';
import { signingKeys, verificationPath } from './signing';

/** Gives the certificates module the signed addresses it prints (see `certificates/verification-addresses.ts`). */
provideVerificationPaths(async (db) => {
  const keys = await signingKeys(db);
  return (certificateNumber) => verificationPath(keys, certificateNumber);
});
