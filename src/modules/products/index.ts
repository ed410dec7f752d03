/**
 * What other modules, the server and the demo may use of products. Pure shapes, rules and the
 * product status are in `contract.ts`, re-exported here.
 */

export {
  type CreatedProduct,
  createProductsInBulk,
  type ExistingProduct,
  findProductsOfSubjects,
} from './bulk';
export { type CertificateFactsSource, provideCertificateFacts } from './certificate-facts';
export * from './contract';
export { createCraftVillage } from './craft-village-service';
export { photoPath } from './photo-files';
export { addPhoto } from './photo-service';
export { productRoutes } from './routes';
export {
  activePhotos,
  createProduct,
  getProduct,
  listProducts,
  registerProduct,
  updateProduct,
} from './service';
export { classify, productSetsOf, productTaxonomy, type Taxonomy } from './taxonomy';
