import { Route } from '@angular/router';
import { authGuard } from './core/session/auth.guard';
import { guestGuard } from './core/session/guest.guard';

/**
 * Every page is lazy-loaded. Login and sign-up are for signed-out visitors only, the invitation
 * page is for anyone; everything else lives inside the signed-in shell, behind the auth guard.
 */
export const appRoutes: Route[] = [
  {
    path: 'login',
    title: 'Log in',
    canActivate: [guestGuard],
    loadComponent: () => import('./auth/login.page').then((m) => m.LoginPage),
  },
  {
    path: 'signup',
    title: 'Create an account',
    canActivate: [guestGuard],
    loadComponent: () => import('./auth/signup.page').then((m) => m.SignupPage),
  },
  {
    // Public: an invitation link works whoever is signed in; accepting signs in as the invitee.
    path: 'invite',
    title: 'Join an account',
    loadComponent: () => import('./auth/accept-invitation.page').then((m) => m.AcceptInvitationPage),
  },
  {
    // Public: a signup link's holder needs no account; the token is in the fragment.
    path: 'signup-link',
    title: 'Connect WhatsApp',
    loadComponent: () => import('./signup-links/signup-link.page').then((m) => m.SignupLinkPage),
  },
  {
    path: '',
    canActivate: [authGuard],
    canActivateChild: [authGuard],
    loadComponent: () => import('./shell/shell.component').then((m) => m.ShellComponent),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'overview' },
      {
        path: 'overview',
        title: 'Overview',
        loadComponent: () => import('./overview/overview.page').then((m) => m.OverviewPage),
      },
      {
        path: 'whatsapp',
        title: 'WhatsApp',
        loadComponent: () => import('./whatsapp/whatsapp.page').then((m) => m.WhatsappPage),
      },
      {
        path: 'whatsapp/numbers/:phoneNumberId',
        title: 'Number details',
        loadComponent: () => import('./whatsapp/number-details/number-details.page').then((m) => m.NumberDetailsPage),
      },
      {
        // Meta's full-page consent returns here; signed-in only, as the API binds `state` to the user.
        path: 'integrations/whatsapp/callback',
        title: 'Connecting WhatsApp',
        loadComponent: () => import('./whatsapp/whatsapp-callback.page').then((m) => m.WhatsappCallbackPage),
      },
      {
        path: 'templates',
        title: 'Message templates',
        loadComponent: () => import('./templates/templates.page').then((m) => m.TemplatesPage),
      },
      {
        path: 'templates/:wabaId',
        title: 'Message templates',
        loadComponent: () => import('./templates/templates.page').then((m) => m.TemplatesPage),
      },
      {
        path: 'events',
        title: 'Events',
        loadComponent: () => import('./events/events.page').then((m) => m.EventsPage),
      },
      {
        // Operators only: the API answers 403 to everyone else, and the page says so.
        path: 'operator/funnel',
        title: 'Onboarding funnel',
        loadComponent: () => import('./operator/onboarding-funnel.page').then((m) => m.OnboardingFunnelPage),
      },
      {
        path: 'settings',
        title: 'Settings',
        loadComponent: () => import('./settings/settings.page').then((m) => m.SettingsPage),
      },
    ],
  },
  { path: '**', redirectTo: 'overview' },
];
