import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export interface Balance {
  currency: string;
  balance: string;
  held: string;
  available: string;
  openHoldCount: number;
  openHolds: Array<{
    id: number;
    amount: string;
    model: string | null;
    createdAt: string;
    expiresAt: string;
  }>;
}

export const BALANCE_KEY = ['billing', 'balance'] as const;

/** The signed-in user's own wallet; refreshed after every generation. */
export const balanceQuery = { queryKey: BALANCE_KEY, queryFn: () => api<Balance>('/api/billing/balance') };

export function useBalance() {
  return useQuery(balanceQuery);
}
