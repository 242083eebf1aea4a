export { Facilities, Severities, type FacilityName, type SeverityName } from './codes.js';
export {
  formatRfc5424,
  escapeParamValue,
  headerField,
  sdName,
  priority,
  type SyslogMessage,
  type StructuredElement,
  type SdValue,
} from './rfc5424.js';
export { parseRfc5424, SyslogParseError, type ParsedSyslog } from './parse-rfc5424.js';
export {
  decisionMessage,
  adminChangeMessage,
  ENTERPRISE_NUMBER,
  type AuditSink,
  type AuditMessage,
  type DecisionEvent,
  type AdminChangeEvent,
} from './audit-events.js';
export { SyslogSender, type SyslogSettings, type SyslogStats, type SyslogProtocol } from './syslog-sender.js';
export { syslogConfigShape, syslogSettings, type SyslogConfig } from './syslog-config.js';
