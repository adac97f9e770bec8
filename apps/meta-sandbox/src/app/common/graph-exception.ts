import { GraphErrorBody } from '@waba/meta-graph';

export interface GraphExceptionInit {
  code: number;
  message: string;
  subcode?: number;
  /** Meta answers almost every error with 400, including rate limits. */
  httpStatus?: number;
  type?: string;
  errorData?: GraphErrorBody['error_data'];
  headers?: Record<string, string>;
}

/** An error the sandbox answers in Meta's envelope `{ error: { message, type, code, ... } }`. */
export class GraphException extends Error {
  readonly code: number;
  readonly subcode?: number;
  readonly httpStatus: number;
  readonly type: string;
  readonly errorData?: GraphErrorBody['error_data'];
  readonly headers: Record<string, string>;

  constructor(init: GraphExceptionInit) {
    super(init.message);
    this.code = init.code;
    this.subcode = init.subcode;
    this.httpStatus = init.httpStatus ?? 400;
    this.type = init.type ?? 'OAuthException';
    this.errorData = init.errorData;
    this.headers = init.headers ?? {};
  }

  static invalidParameter(message: string, subcode?: number): GraphException {
    return new GraphException({ code: 100, message, subcode });
  }

  static objectNotFound(id: string, method: 'get' | 'post' | 'delete'): GraphException {
    return new GraphException({
      code: 100,
      subcode: 33,
      type: 'GraphMethodException',
      message:
        `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to ` +
        'missing permissions, or does not support this operation. Please read the Graph API documentation ' +
        'at https://developers.facebook.com/docs/graph-api',
    });
  }

  static missingPermission(scope: string): GraphException {
    return new GraphException({
      code: 200,
      httpStatus: 403,
      message: `(#200) Requires ${scope} permission to manage the object`,
    });
  }
}

/** Answered as an HTML page, as a proxy in front of Meta does, instead of Graph's envelope. */
export class GatewayFailure extends Error {
  constructor(readonly httpStatus: number) {
    super(`Gateway failure ${httpStatus}`);
  }
}
