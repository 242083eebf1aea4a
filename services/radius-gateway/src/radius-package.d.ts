/**
 * Just enough types for the `radius` npm package (1.1.4, untyped), which the tests use as an
 * independent implementation to check this codec against.
 */
declare module 'radius' {
  type AttributeList = Array<[string | number, unknown]> | Record<string, unknown>;
  interface DecodedPacket {
    code: string;
    identifier: number;
    length: number;
    authenticator: Buffer;
    attributes: Record<string, unknown>;
    raw_attributes: Array<[number, Buffer]>;
  }
  interface Radius {
    encode(args: {
      code: string;
      secret: string;
      identifier?: number;
      authenticator?: Buffer;
      attributes?: AttributeList;
      add_message_authenticator?: boolean;
    }): Buffer;
    decode(args: { packet: Buffer; secret: string }): DecodedPacket;
    decode_without_secret(args: { packet: Buffer }): DecodedPacket;
    verify_response(args: { request: Buffer; response: Buffer; secret: string }): boolean;
  }
  const radius: Radius;
  export default radius;
}
