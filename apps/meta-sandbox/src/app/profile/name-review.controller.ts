import { Body, Controller, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { WorldStore } from '../world/world.store';
import { DisplayNameService } from './display-name.service';

export class NameReviewDto {
  @IsIn(['APPROVED', 'REJECTED']) decision!: 'APPROVED' | 'REJECTED';
  /** Sent in the webhook's `rejection_reason` when rejecting; Meta's default reason otherwise. */
  @IsOptional() @IsString() @MaxLength(200) rejectionReason?: string;
}

/** Control API: Meta's reviewer deciding a display-name change (tests and the console). */
@Controller('_sandbox/phone-numbers')
export class NameReviewController {
  constructor(
    private readonly world: WorldStore,
    private readonly names: DisplayNameService,
  ) {}

  @Post(':id/name-review')
  @HttpCode(200)
  review(@Param('id') id: string, @Body() body: NameReviewDto) {
    const phone = this.world.phoneNumbers.get(id);
    if (!phone) throw new NotFoundException(`No phone number ${id}`);
    return this.names.decide(phone, body.decision, body.rejectionReason);
  }
}
