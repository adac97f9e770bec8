import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { GraphList, GraphSuccess, UploadedFileHandle, UploadSession, UploadSessionProgress } from '@waba/meta-graph';
import { Request, Response } from 'express';
import { GraphException } from '../common/graph-exception';
import { GraphExceptionFilter } from '../common/graph-exception.filter';
import { GraphAccessService } from '../graph/graph-access.service';
import { GraphAuthService, param } from '../graph/graph-auth.service';
import { GraphFaultsService } from '../graph/graph-faults.service';
import { requireVersion } from '../graph/graph-version';
import { BusinessProfileService } from './business-profile.service';

const MANAGEMENT = 'whatsapp_business_management';
const MESSAGING = 'whatsapp_business_messaging';
/** Meta's upload endpoint takes files far larger than a photo; the sandbox stops here. */
const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/**
 * The business profile edge and the Resumable Upload API. Registered before the Graph catch-all
 * routes; `upload:<id>` paths reach this controller through GraphController (`/:version/:id`).
 */
@Controller()
@UseFilters(GraphExceptionFilter)
export class ProfileController {
  constructor(
    private readonly auth: GraphAuthService,
    private readonly access: GraphAccessService,
    private readonly faults: GraphFaultsService,
    private readonly profiles: BusinessProfileService,
  ) {}

  @Get(':version/:id/whatsapp_business_profile')
  async profile(@Param('version') version: string, @Param('id') id: string, @Req() request: Request): Promise<GraphList<Record<string, unknown>>> {
    requireVersion(version);
    if (this.access.kindOf(id) !== 'phone') throw GraphException.objectNotFound(id, 'get');
    await this.faults.apply('GET /{phone-number-id}/whatsapp_business_profile');
    const token = this.auth.tenantToken(request);
    this.access.requireScope(token, MANAGEMENT);
    const phone = this.access.phoneNumber(token, id, 'get');
    return { data: [this.profiles.profile(phone, `${request.protocol}://${request.get('host')}`)] };
  }

  @Post(':version/:id/whatsapp_business_profile')
  @HttpCode(200)
  async updateProfile(@Param('version') version: string, @Param('id') id: string, @Req() request: Request, @Body() body: Record<string, unknown>): Promise<GraphSuccess> {
    requireVersion(version);
    if (this.access.kindOf(id) !== 'phone') throw GraphException.objectNotFound(id, 'post');
    await this.faults.apply('POST /{phone-number-id}/whatsapp_business_profile');
    const token = this.auth.tenantToken(request);
    this.access.requireScope(token, MESSAGING);
    return this.profiles.update(this.access.phoneNumber(token, id, 'post'), body ?? {});
  }

  @Post(':version/:appId/uploads')
  @HttpCode(200)
  async startUpload(@Param('version') version: string, @Param('appId') appId: string, @Req() request: Request): Promise<UploadSession> {
    requireVersion(version);
    await this.faults.apply('POST /{app-id}/uploads');
    this.auth.tenantToken(request);
    return this.profiles.startUpload(appId, { fileName: param(request, 'file_name'), fileLength: param(request, 'file_length'), fileType: param(request, 'file_type') });
  }

  /** The photo behind `profile_picture_url`, as WhatsApp's CDN would serve it. */
  @Get('_sandbox/profile-photos/:key')
  photo(@Param('key') key: string, @Res() response: Response): void {
    const photo = this.profiles.photo(key);
    if (!photo) throw new NotFoundException('No such photo');
    response.type(photo.type).send(photo.bytes);
  }

  uploadProgress(sessionId: string, request: Request): UploadSessionProgress {
    this.auth.tenantToken(request);
    return this.profiles.progress(sessionId);
  }

  async uploadBytes(sessionId: string, request: Request): Promise<UploadedFileHandle | UploadSessionProgress> {
    await this.faults.apply('POST /upload:{session}');
    this.auth.tenantToken(request);
    const offset = request.headers['file_offset'];
    return this.profiles.receive(sessionId, typeof offset === 'string' ? offset : undefined, await readBytes(request));
  }
}

async function readBytes(request: Request): Promise<Buffer> {
  if (Buffer.isBuffer(request.body)) return request.body;
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_UPLOAD_BYTES) throw GraphException.invalidParameter('(#100) The upload is too large for the sandbox.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
