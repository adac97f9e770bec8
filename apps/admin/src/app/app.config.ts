import { provideHttpClient, withInterceptors, withXsrfConfiguration } from '@angular/common/http';
import { ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter, TitleStrategy, withComponentInputBinding, withNavigationErrorHandler } from '@angular/router';
import { appRoutes } from './app.routes';
import { apiErrorInterceptor } from './core/http/api-error.interceptor';
import { PageTitleStrategy } from './core/page-title.strategy';
import { reloadOnStaleChunk } from './core/stale-chunk-reload';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(appRoutes, withComponentInputBinding(), withNavigationErrorHandler(reloadOnStaleChunk)),
    { provide: TitleStrategy, useClass: PageTitleStrategy },
    // Same-origin relative URLs: the browser sends the httpOnly session cookie by itself, and
    // Angular copies the API's readable XSRF-TOKEN cookie into the header on every write.
    provideHttpClient(withInterceptors([apiErrorInterceptor]), withXsrfConfiguration({ cookieName: 'XSRF-TOKEN', headerName: 'X-XSRF-TOKEN' })),
  ],
};
