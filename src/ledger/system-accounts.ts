/**
 * The operator's side of every transfer. Their ids are fixed by migration 0003, so the hot path
 * never looks them up. Wallets (users', organisations') are numbered from 100.
 */
export const SYSTEM_ACCOUNTS = {
  /** Credit used for AI generations. */
  revenue: 1,
  /** Money received from the payment processor, before it is credit in a wallet. */
  payments_clearing: 2,
  /** Credit given away: sign-up bonuses, promotion codes. */
  promotions: 3,
  /** Credit returned to users' payment methods. */
  refunds: 4,
  /** Staff corrections, always with a reason. */
  manual_adjustments: 5,
} as const;

export type SystemAccount = keyof typeof SYSTEM_ACCOUNTS;

export const WALLET_KINDS = ['user_wallet', 'organisation_wallet'] as const;
export type WalletKind = (typeof WALLET_KINDS)[number];

/** Whose credit: a user's own wallet, or an organisation's shared one. */
export type WalletOwner =
  | { userId: string; organisationId?: undefined }
  | { organisationId: string; userId?: undefined };
