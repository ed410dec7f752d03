import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  createProductBody,
  listProductsQuery,
  PhotoView,
  ProductCounts,
  ProductListItem,
  ProductView,
  productMeta,
  updateProductBody,
} from '../../modules/products/contract';
import { API_BASE, api, type Json } from '../api';
import { useRecordWrite } from './records';

export type ProductRow = Json<ProductListItem>;
export type Product = Json<ProductView>;
export type Photo = Json<PhotoView>;
export type ProductMeta = z.infer<typeof productMeta>;
export type ProductPage = { items: ProductRow[]; total: number; page: number; pageSize: number };
export type ProductQuery = Omit<z.input<typeof listProductsQuery>, 'page' | 'pageSize'> & {
  page: number;
  pageSize: number;
};
export type ProductInput = z.input<typeof createProductBody>;
export type ProductUpdate = z.input<typeof updateProductBody>;

export function useProductMeta() {
  return useQuery({
    queryKey: ['products', 'meta'],
    queryFn: () => api.get<ProductMeta>('/products/meta'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useProducts(query: ProductQuery, enabled = true) {
  return useQuery({
    queryKey: ['products', 'list', query],
    queryFn: ({ signal }) => api.get<ProductPage>('/products', query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useProduct(id: string | undefined) {
  return useQuery({
    queryKey: ['products', 'one', id],
    queryFn: ({ signal }) => api.get<Product>(`/products/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useProductCounts(enabled: boolean) {
  return useQuery({
    queryKey: ['home', 'product-counts'],
    queryFn: ({ signal }) => api.get<ProductCounts>('/products/counts', undefined, signal),
    enabled,
  });
}

const useProductWrite = <V>(write: (input: V) => Promise<Product>) =>
  useRecordWrite('products', 'product', write);

export const useCreateProduct = () =>
  useProductWrite((input: ProductInput) => api.post<Product>('/products', input));

export const useUpdateProduct = (id: string) =>
  useProductWrite((input: ProductUpdate) => api.patch<Product>(`/products/${id}`, input));

/** State changes carry the version the user saw, so acting on a stale page is refused (409). */
export const useProductAction = (id: string) =>
  useProductWrite(({ action, version }: { action: 'archive' | 'restore' | 'register'; version: number }) =>
    api.post<Product>(`/products/${id}/${action}`, { version }),
  );

export function photoUrl(productId: string, photoId: string, size: 'thumb' | 'full') {
  return `${API_BASE}/products/${productId}/photos/${photoId}?size=${size}`;
}

export function useUploadPhoto() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ productId, file }: { productId: string; file: File }) =>
      api.upload<Photo>(`/products/${productId}/photos`, file),
    onSuccess: (_photo, { productId }) => {
      void queryClient.invalidateQueries({ queryKey: ['products', 'one', productId] });
      void queryClient.invalidateQueries({ queryKey: ['products', 'list'] });
    },
  });
}

export function useRemovePhoto(productId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (photoId: string) => api.delete<unknown>(`/products/${productId}/photos/${photoId}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['products', 'one', productId] });
      void queryClient.invalidateQueries({ queryKey: ['products', 'list'] });
    },
  });
}
