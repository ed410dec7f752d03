/**
 * What the server and other modules may use of verification (signing keys, signed codes, the public
 * page and search). Loading it gives certificates their signed addresses (`addresses.ts`).
 */
import './addresses';

export { setUpSigning } from './key-service';
export { verificationRoutes } from './routes';
export { startVerification } from './runtime';
export { registeredKek, registerKek, signingKeys, verificationPath } from './signing';
