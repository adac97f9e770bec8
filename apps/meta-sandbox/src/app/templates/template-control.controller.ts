// Control routes for templates (`/_sandbox/...`): list them, add some to a WABA, and change one as
// Meta would (review, quality, category, edit), which sends the matching webhook.
import { Body, Controller, Get, HttpCode, Param, Post, UsePipes, ValidationPipe } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { WorldStore } from '../world/world.store';
import { TEMPLATE_CATEGORIES, TEMPLATE_QUALITIES, TEMPLATE_STATUSES } from './template-list';
import { TemplateChangesService } from './template-changes.service';

export const REJECTION_REASONS = ['ABUSIVE_CONTENT', 'CATEGORY_NOT_AVAILABLE', 'INCORRECT_CATEGORY', 'INVALID_FORMAT', 'PROMOTIONAL', 'SCAM', 'TAG_CONTENT_MISMATCH'] as const;

export class AddTemplatesDto {
  @Matches(/^[a-z0-9_]{1,512}$/, { message: 'name must be lowercase letters, digits and underscores' }) name!: string;
  @IsOptional() @IsString() language?: string;
  @IsOptional() @IsIn(TEMPLATE_CATEGORIES) category?: string;
  @IsOptional() @IsIn(TEMPLATE_STATUSES) status?: string;
  @IsOptional() @IsIn(TEMPLATE_QUALITIES) qualityScore?: string;
  @IsOptional() @IsIn(REJECTION_REASONS) rejectedReason?: string;
  @IsOptional() @IsString() bodyText?: string;
  /** How many numbered copies to add (paging tests). */
  @IsOptional() @IsInt() @Min(1) @Max(1000) count?: number;
}

export class TemplateChangeDto {
  @IsOptional() @IsIn(TEMPLATE_STATUSES) status?: string;
  @IsOptional() @IsIn(REJECTION_REASONS) reason?: string;
  @IsOptional() @IsIn(TEMPLATE_QUALITIES) quality?: string;
  @IsOptional() @IsIn(TEMPLATE_CATEGORIES) category?: string;
  @IsOptional() @IsString() bodyText?: string;
  @IsOptional() @IsString() headerText?: string;
  @IsOptional() @IsString() footerText?: string;
  @IsOptional() @IsInt() @Min(1) time?: number;
}

@Controller('_sandbox')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class TemplateControlController {
  constructor(
    private readonly world: WorldStore,
    private readonly templates: TemplateChangesService,
  ) {}

  @Get('templates')
  list() {
    return [...this.world.wabas.values()].flatMap((waba) => (waba.messageTemplates ?? []).map((template) => ({ wabaId: waba.id, ...template })));
  }

  @Post('wabas/:wabaId/templates')
  add(@Param('wabaId') wabaId: string, @Body() body: AddTemplatesDto) {
    const { count, bodyText, ...template } = body;
    return this.templates.add(wabaId, { ...template, ...(bodyText && { components: [{ type: 'BODY', text: bodyText }] }) }, count ?? 1);
  }

  @Post('templates/:templateId/changes')
  @HttpCode(200)
  change(@Param('templateId') templateId: string, @Body() body: TemplateChangeDto) {
    return this.templates.change(templateId, body);
  }
}
