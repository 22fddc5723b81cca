/**
 * Every page of the web app. Pages load on demand (one chunk each), so the first load carries only
 * the shell and the page asked for.
 */
import type { ComponentType } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { Loading } from '../components/states';
import { AppLayout } from './app-layout';
import { AuthLayout } from './auth-layout';
import { RouteError } from './route-error';

type PageModule = Promise<Record<string, ComponentType>>;

/** A route whose component is the named export of a lazily imported module. */
function page(load: () => PageModule, name: string) {
  return { lazy: async () => ({ Component: (await load())[name] }) };
}

export const router = createBrowserRouter([
  {
    element: <AuthLayout />,
    errorElement: <RouteError />,
    // Shown while the first page's code loads.
    hydrateFallbackElement: <Loading />,
    children: [
      { path: '/login', ...page(() => import('../pages/auth/log-in-page'), 'LogInPage') },
      { path: '/signup', ...page(() => import('../pages/auth/sign-up-page'), 'SignUpPage') },
      { path: '/verify-email', ...page(() => import('../pages/auth/verify-email-page'), 'VerifyEmailPage') },
      {
        path: '/confirm-email',
        ...page(() => import('../pages/settings/confirm-email-page'), 'ConfirmEmailPage'),
      },
      {
        path: '/reset-password',
        ...page(() => import('../pages/auth/reset-password-page'), 'ResetPasswordPage'),
      },
      {
        path: '/privacy/confirm-request',
        ...page(() => import('../pages/privacy/confirm-request-page'), 'ConfirmRequestPage'),
      },
      {
        path: '/privacy/account-deleted',
        ...page(() => import('../pages/privacy/account-deleted-page'), 'AccountDeletedPage'),
      },
      {
        path: '/account-closed',
        ...page(() => import('../pages/privacy/account-closed-page'), 'AccountClosedPage'),
      },
    ],
  },
  {
    element: <AppLayout />,
    errorElement: <RouteError />,
    hydrateFallbackElement: <Loading />,
    children: [
      { path: '/', element: <Navigate to="/chat" replace /> },
      // One route with an optional id: starting a conversation keeps the page (and its stream) mounted.
      { path: '/chat/:conversationId?', ...page(() => import('../pages/chat/chat-page'), 'ChatPage') },
      { path: '/studio', ...page(() => import('../pages/studio/studio-page'), 'StudioPage') },
      { path: '/billing', ...page(() => import('../pages/billing/billing-page'), 'BillingPage') },
      { path: '/keys', ...page(() => import('../pages/keys/api-keys-page'), 'ApiKeysPage') },
      {
        path: '/organisation',
        ...page(() => import('../pages/organisation/organisation-page'), 'OrganisationPage'),
      },
      {
        path: '/invitations/accept',
        ...page(() => import('../pages/organisation/accept-invitation-page'), 'AcceptInvitationPage'),
      },
      { path: '/settings', ...page(() => import('../pages/settings/settings-page'), 'SettingsPage') },
      { path: '/privacy', ...page(() => import('../pages/privacy/privacy-page'), 'PrivacyPage') },
      { path: '/support', ...page(() => import('../pages/support/support-page'), 'SupportPage') },
      { path: '/support/:ticketId', ...page(() => import('../pages/support/ticket-page'), 'TicketPage') },
      { path: '*', ...page(() => import('./not-found-page'), 'NotFoundPage') },
    ],
  },
]);
