export {
  AUDIT_PAGE_SIZE,
  browseConsultationAudit,
  browseSiteAudit,
  consultationAuditCsv,
  siteAuditCsv,
  neutraliseFormula,
  allAuditEvents,
  consultationScope,
  readAuditFilter,
} from './service';
