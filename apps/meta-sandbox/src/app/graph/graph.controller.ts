import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { GraphList, GraphSuccess, SmbAppDataResult, SubscribedApp } from '@waba/meta-graph';
import { Request, Response } from 'express';
import { GraphException } from '../common/graph-exception';
import { GraphExceptionFilter } from '../common/graph-exception.filter';
import { WorldStore } from '../world/world.store';
import { GraphAccessService } from './graph-access.service';
import { GraphAuthService, param } from './graph-auth.service';
import { GraphEndpoint, GraphFaultsService } from './graph-faults.service';
import { projectNode } from './field-projection';
import { graphPage } from './graph-paging';
import { businessNode, phoneNumberNode, userNode, wabaListNode, wabaNode } from './graph-nodes';
import { requestedFields, requireVersion } from './graph-version';
import { WhatsAppAssetsService } from './whatsapp-assets.service';
import { BusinessUseCaseLimiter } from './business-use-case-limiter.service';
import { CoexistenceService } from './coexistence.service';
import { ProfileController } from '../profile/profile.controller';

const MANAGEMENT = 'whatsapp_business_management';
const MESSAGING = 'whatsapp_business_messaging';

/** Graph nodes and edges: `/me`, businesses, WABAs and phone numbers. */
@Controller()
@UseFilters(GraphExceptionFilter)
export class GraphController {
  constructor(
    private readonly world: WorldStore,
    private readonly auth: GraphAuthService,
    private readonly access: GraphAccessService,
    private readonly faults: GraphFaultsService,
    private readonly assets: WhatsAppAssetsService,
    private readonly usage: BusinessUseCaseLimiter,
    private readonly coexistence: CoexistenceService,
    private readonly profiles: ProfileController,
  ) {}

  @Get(':version/me')
  async me(@Param('version') version: string, @Req() request: Request): Promise<Record<string, unknown>> {
    requireVersion(version);
    await this.faults.apply('GET /me');
    const token = this.auth.tenantToken(request);
    return projectNode(userNode(token), requestedFields(request.query['fields']));
  }

  @Get(':version/me/businesses')
  async myBusinesses(@Param('version') version: string, @Req() request: Request): Promise<GraphList<Record<string, unknown>>> {
    requireVersion(version);
    await this.faults.apply('GET /me/businesses');
    const token = this.auth.tenantToken(request);
    const fields = requestedFields(request.query['fields']);
    // Without business_management the list is empty, as peers see right after a signup (docs/meta.md §3.2).
    const visible = token.scopes.includes('business_management') ? token.businessIds : [];
    const businesses = visible.flatMap((id) => this.world.businesses.get(id) ?? []);
    return graphPage(
      businesses.map((business) => projectNode(businessNode(business), fields)),
      request,
    );
  }

  @Get(':version/:id')
  async node(@Param('version') version: string, @Param('id') id: string, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<Record<string, unknown>> {
    requireVersion(version);
    if (id.startsWith('upload:')) return this.profiles.uploadProgress(id, request) as unknown as Record<string, unknown>;
    const kind = this.access.kindOf(id);
    if (kind === 'waba') await this.faults.apply('GET /{waba-id}', id);
    if (kind === 'phone') await this.faults.apply('GET /{phone-number-id}');
    const token = this.auth.tenantToken(request);
    const fields = requestedFields(request.query['fields']);
    if (kind === 'waba') {
      this.access.requireScope(token, MANAGEMENT);
      const waba = this.access.waba(token, id, 'get');
      response.set('X-Business-Use-Case-Usage', this.usage.count(waba));
      return projectNode(wabaNode(waba, this.world), fields);
    }
    if (kind === 'phone') {
      this.access.requireScope(token, MANAGEMENT);
      return projectNode(phoneNumberNode(this.access.phoneNumber(token, id, 'get'), this.world), fields);
    }
    if (kind === 'business') return projectNode(businessNode(this.access.business(token, id, 'get')), fields);
    throw GraphException.objectNotFound(id, 'get');
  }

  @Get(':version/:id/:edge')
  async edge(
    @Param('version') version: string,
    @Param('id') id: string,
    @Param('edge') edge: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<GraphList<Record<string, unknown>> | GraphList<SubscribedApp>> {
    requireVersion(version);
    const kind = this.access.kindOf(id);
    const endpoint = edgeEndpoint('GET', kind, edge);
    if (endpoint) await this.faults.apply(endpoint, kind === 'waba' ? id : undefined);
    const token = this.auth.tenantToken(request);
    const fields = requestedFields(request.query['fields']);
    if (!endpoint) throw unknownEdge(id, edge, kind);
    this.access.requireScope(token, MANAGEMENT);
    if (kind === 'business') {
      const business = this.access.business(token, id, 'get');
      const wabas = [...this.world.wabas.values()].filter((waba) =>
        edge === 'owned_whatsapp_business_accounts' ? waba.ownerBusinessId === business.id : waba.sharedWithBusinessIds.includes(business.id),
      );
      const visible = wabas.filter((waba) => this.access.canSeeWaba(token, waba));
      return graphPage(
        visible.map((waba) => projectNode(wabaListNode(waba, this.world), fields)),
        request,
      );
    }
    const waba = this.access.waba(token, id, 'get');
    response.set('X-Business-Use-Case-Usage', this.usage.count(waba));
    if (edge === 'subscribed_apps') return graphPage(this.assets.subscribedApps(waba), request);
    const phones = this.world.phoneNumbersOf(waba.id).map((phone) => projectNode(phoneNumberNode(phone, this.world), fields));
    return graphPage(phones, request);
  }

  @Post(':version/:id')
  @HttpCode(200)
  async updateNode(@Param('version') version: string, @Param('id') id: string, @Req() request: Request, @Body() body: Record<string, unknown>): Promise<GraphSuccess> {
    requireVersion(version);
    if (id.startsWith('upload:')) return (await this.profiles.uploadBytes(id, request)) as unknown as GraphSuccess;
    if (this.access.kindOf(id) !== 'phone') throw GraphException.objectNotFound(id, 'post');
    await this.faults.apply('POST /{phone-number-id}');
    const token = this.auth.tenantToken(request);
    this.access.requireScope(token, MANAGEMENT);
    return this.assets.updatePhoneNumber(this.access.phoneNumber(token, id, 'post'), body ?? {});
  }

  @Post(':version/:id/:edge')
  @HttpCode(200)
  async postEdge(
    @Param('version') version: string,
    @Param('id') id: string,
    @Param('edge') edge: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<GraphSuccess | SmbAppDataResult> {
    requireVersion(version);
    const kind = this.access.kindOf(id);
    const endpoint = edgeEndpoint('POST', kind, edge);
    if (!endpoint) throw GraphException.objectNotFound(id, 'post');
    await this.faults.apply(endpoint, kind === 'waba' ? id : undefined);
    const token = this.auth.tenantToken(request);
    if (kind === 'waba') {
      this.access.requireScope(token, MANAGEMENT);
      const waba = this.access.waba(token, id, 'post');
      response.set('X-Business-Use-Case-Usage', this.usage.count(waba));
      const uri = param(request, 'override_callback_uri');
      return this.assets.subscribe(waba, uri ? { uri, verifyToken: param(request, 'verify_token') ?? '' } : undefined);
    }
    this.access.requireScope(token, MESSAGING);
    const phone = this.access.phoneNumber(token, id, 'post');
    if (edge === 'deregister') return this.assets.deregister(phone);
    if (edge === 'smb_app_data') return this.coexistence.requestSync(phone, param(request, 'sync_type'), param(request, 'messaging_product'));
    return this.assets.register(phone, param(request, 'pin'), param(request, 'messaging_product'));
  }

  @Delete(':version/:id/:edge')
  async deleteEdge(
    @Param('version') version: string,
    @Param('id') id: string,
    @Param('edge') edge: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<GraphSuccess> {
    requireVersion(version);
    const kind = this.access.kindOf(id);
    if (edgeEndpoint('DELETE', kind, edge) === undefined) throw GraphException.objectNotFound(id, 'delete');
    await this.faults.apply('DELETE /{waba-id}/subscribed_apps', id);
    const token = this.auth.tenantToken(request);
    this.access.requireScope(token, MANAGEMENT);
    const waba = this.access.waba(token, id, 'delete');
    response.set('X-Business-Use-Case-Usage', this.usage.count(waba));
    return this.assets.unsubscribe(waba);
  }
}

function edgeEndpoint(method: 'GET' | 'POST' | 'DELETE', kind: ReturnType<GraphAccessService['kindOf']>, edge: string): GraphEndpoint | undefined {
  const placeholder = { business: '{business-id}', waba: '{waba-id}', phone: '{phone-number-id}' };
  if (!kind) return undefined;
  const name = `${method} /${placeholder[kind]}/${edge}`;
  const known: readonly string[] = EDGE_ENDPOINTS;
  return known.includes(name) ? (name as GraphEndpoint) : undefined;
}

const EDGE_ENDPOINTS: readonly GraphEndpoint[] = [
  'GET /{business-id}/owned_whatsapp_business_accounts',
  'GET /{business-id}/client_whatsapp_business_accounts',
  'GET /{waba-id}/phone_numbers',
  'GET /{waba-id}/subscribed_apps',
  'POST /{waba-id}/subscribed_apps',
  'DELETE /{waba-id}/subscribed_apps',
  'POST /{phone-number-id}/register',
  'POST /{phone-number-id}/deregister',
  'POST /{phone-number-id}/smb_app_data',
];

function unknownEdge(id: string, edge: string, kind: ReturnType<GraphAccessService['kindOf']>): GraphException {
  if (!kind) return GraphException.objectNotFound(id, 'get');
  const typeName = { business: 'Business', waba: 'WhatsAppBusinessAccount', phone: 'WhatsAppBusinessPhoneNumber' }[kind];
  return GraphException.invalidParameter(`(#100) Tried accessing nonexisting field (${edge}) on node type (${typeName})`);
}
