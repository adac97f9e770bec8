// Request body of `POST /_sandbox/health/:nodeId`, validated by class-validator.
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

export class SetHealthDto {
  /** AVAILABLE clears what was set; the world's own findings (a banned number ...) still count. */
  @IsIn(['AVAILABLE', 'LIMITED', 'BLOCKED']) canSendMessage!: 'AVAILABLE' | 'LIMITED' | 'BLOCKED';
  @IsOptional() @IsInt() @Min(1) errorCode?: number;
  @IsOptional() @IsString() @MaxLength(500) errorDescription?: string;
  @IsOptional() @IsString() @MaxLength(500) possibleSolution?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) additionalInfo?: string[];
}

export class SetAppWebhookFieldsDto {
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @Matches(/^[a-z_]+$/, { each: true }) fields!: string[];
}
