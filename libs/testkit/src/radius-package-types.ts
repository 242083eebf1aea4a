/**
 * Just enough types for the `radius` npm package (1.1.4, untyped), which tests use as an
 * independent implementation to check Tollgate's RADIUS codec against.
 */
export type RadiusAttributeList = Array<[string | number, unknown]> | Record<string, unknown>;
export interface DecodedRadiusPacket {
  code: string;
  identifier: number;
  length: number;
  authenticator: Buffer;
  attributes: Record<string, unknown>;
  raw_attributes: Array<[number, Buffer]>;
}
export interface RadiusPackage {
  encode(args: {
    code: string;
    secret: string;
    identifier?: number;
    authenticator?: Buffer;
    attributes?: RadiusAttributeList;
    add_message_authenticator?: boolean;
  }): Buffer;
  decode(args: { packet: Buffer; secret: string }): DecodedRadiusPacket;
  decode_without_secret(args: { packet: Buffer }): DecodedRadiusPacket;
  verify_response(args: { request: Buffer; response: Buffer; secret: string }): boolean;
}
