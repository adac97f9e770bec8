// `GET /{waba-id}/message_templates`: Meta's list edge of a WABA's templates, with its filters,
// `fields`, cursor paging both ways (`after` and `before`) and `summary=total_count`.
import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import { Request, Response } from 'express';
import { GraphException } from '../common/graph-exception';
import { GraphExceptionFilter } from '../common/graph-exception.filter';
import { BusinessUseCaseLimiter } from '../graph/business-use-case-limiter.service';
import { projectNode } from '../graph/field-projection';
import { GraphAccessService } from '../graph/graph-access.service';
import { GraphAuthService } from '../graph/graph-auth.service';
import { GraphFaultsService } from '../graph/graph-faults.service';
import { requestedFields, requireVersion } from '../graph/graph-version';
import { WorldStore } from '../world/world.store';
import { filterTemplates, pageOfTemplates, templateNode } from './template-list';

@Controller()
@UseFilters(GraphExceptionFilter)
export class MessageTemplatesController {
  constructor(
    private readonly world: WorldStore,
    private readonly auth: GraphAuthService,
    private readonly access: GraphAccessService,
    private readonly faults: GraphFaultsService,
    private readonly usage: BusinessUseCaseLimiter,
  ) {}

  @Get(':version/:id/message_templates')
  async list(@Param('version') version: string, @Param('id') id: string, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<Record<string, unknown>> {
    requireVersion(version);
    if (this.access.kindOf(id) !== 'waba') {
      if (this.access.kindOf(id))
        throw GraphException.invalidParameter(
          `(#100) Tried accessing nonexisting field (message_templates) on node type (${this.access.kindOf(id) === 'phone' ? 'WhatsAppBusinessPhoneNumber' : 'Business'})`,
        );
      throw GraphException.objectNotFound(id, 'get');
    }
    await this.faults.apply('GET /{waba-id}/message_templates', id);
    const token = this.auth.tenantToken(request);
    this.access.requireScope(token, 'whatsapp_business_management');
    const waba = this.access.waba(token, id, 'get');
    response.set('X-Business-Use-Case-Usage', this.usage.count(waba));
    const fields = requestedFields(request.query['fields']);
    const matching = filterTemplates(waba.messageTemplates ?? [], request.query);
    const page = pageOfTemplates(matching, request);
    return {
      data: page.items.map((template) => projectNode(templateNode(template), fields)),
      ...(page.paging && { paging: page.paging }),
      ...(request.query['summary'] === 'total_count' && { summary: { total_count: matching.length } }),
    };
  }
}
