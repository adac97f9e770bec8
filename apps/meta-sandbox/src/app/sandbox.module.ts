import { DynamicModule, Module } from '@nestjs/common';
import { SandboxClock } from './common/sandbox-clock';
import { ControlController } from './control/control.controller';
import { AppSubscriptionControlController, HealthControlController } from './control/health-control.controller';
import { TokenSummariesService } from './control/token-summaries.service';
import { WorldAdminService } from './control/world-admin.service';
import { DialogController } from './dialog/dialog.controller';
import { SignupService } from './dialog/signup.service';
import { BusinessUseCaseLimiter } from './graph/business-use-case-limiter.service';
import { GraphAccessService } from './graph/graph-access.service';
import { GraphAuthService } from './graph/graph-auth.service';
import { GraphFaultsService } from './graph/graph-faults.service';
import { GraphController } from './graph/graph.controller';
import { AppSubscriptionsController } from './graph/app-subscriptions.controller';
import { CoexistenceService } from './graph/coexistence.service';
import { WhatsAppAssetsService } from './graph/whatsapp-assets.service';
import { AccessTokensService } from './oauth/access-tokens.service';
import { AuthorizationCodesService } from './oauth/authorization-codes.service';
import { OAuthController } from './oauth/oauth.controller';
import { SANDBOX_OPTIONS, SandboxOptions } from './sandbox-options';
import { CallbackVerifierService } from './webhooks/callback-verifier.service';
import { WebhookEventsService } from './webhooks/webhook-events.service';
import { WebhookSenderService } from './webhooks/webhook-sender.service';
import { WorldPersistence } from './world/world-persistence.service';
import { WorldStore } from './world/world.store';
import { BusinessProfileService } from './profile/business-profile.service';
import { DisplayNameService } from './profile/display-name.service';
import { NameReviewController } from './profile/name-review.controller';
import { ProfileController } from './profile/profile.controller';
import { MessageTemplatesController } from './templates/message-templates.controller';
import { TemplateChangesService } from './templates/template-changes.service';
import { TemplateControlController } from './templates/template-control.controller';

@Module({})
export class SandboxModule {
  static forRoot(options: SandboxOptions): DynamicModule {
    return {
      module: SandboxModule,
      // Order matters: the catch-all Graph routes (`/:version/:id/...`) must come last.
      controllers: [
        ControlController,
        TemplateControlController,
        HealthControlController,
        AppSubscriptionControlController,
        NameReviewController,
        DialogController,
        OAuthController,
        ProfileController,
        MessageTemplatesController,
        AppSubscriptionsController,
        GraphController,
      ],
      providers: [
        { provide: SANDBOX_OPTIONS, useValue: options },
        SandboxClock,
        WorldStore,
        WorldPersistence,
        WorldAdminService,
        TokenSummariesService,
        AccessTokensService,
        AuthorizationCodesService,
        GraphAuthService,
        GraphAccessService,
        GraphFaultsService,
        BusinessUseCaseLimiter,
        WhatsAppAssetsService,
        CoexistenceService,
        SignupService,
        CallbackVerifierService,
        WebhookEventsService,
        WebhookSenderService,
        BusinessProfileService,
        DisplayNameService,
        // GraphController hands `upload:<id>` paths to it.
        ProfileController,
        TemplateChangesService,
      ],
    };
  }
}
