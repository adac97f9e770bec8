/** The one error body every API error uses; `message` is safe to show to a person. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** One line per invalid field when validation failed. */
  details?: string[];
}
