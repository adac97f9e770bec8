import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { GraphErrorEnvelope } from '@waba/meta-graph';
import { Response } from 'express';
import { GatewayFailure, GraphException } from './graph-exception';
import { newTraceId } from './secure-random';

/** Every failure of a Graph route leaves in Meta's error envelope, never as Nest's default JSON. */
@Catch()
export class GraphExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Graph');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof GatewayFailure) {
      response.status(exception.httpStatus).type('html').send(`<html><body>${exception.httpStatus}</body></html>`);
      return;
    }
    const error = this.toGraphException(exception);
    const envelope: GraphErrorEnvelope = {
      error: {
        message: error.message,
        type: error.type,
        code: error.code,
        ...(error.subcode !== undefined && { error_subcode: error.subcode }),
        ...(error.errorData && { error_data: error.errorData }),
        fbtrace_id: newTraceId(),
      },
    };
    response.status(error.httpStatus).set(error.headers).json(envelope);
  }

  private toGraphException(exception: unknown): GraphException {
    if (exception instanceof GraphException) return exception;
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      return GraphException.invalidParameter(`(#100) ${exception.message}`);
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return new GraphException({ code: 1, httpStatus: 500, message: 'An unknown error has occurred.' });
  }
}
