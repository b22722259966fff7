import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { AppError } from '../../lib/errors.js';

/**
 * The certificate (志愿服务证明) as a PDF: A4, the volunteer, the certified service, the issuer
 * and the date (民政部令第67号: issued by the organisation that recorded the service). Chinese
 * text needs a CJK font on the server: HAITANG_PDF_FONT (a .ttf/.otf/.ttc file, with
 * HAITANG_PDF_FONT_NAME for the face inside a collection), else the Noto CJK fonts that Debian's
 * fonts-noto-cjk installs. Without one the certificate cannot be printed and says so (503).
 */
const CANDIDATES: [file: string, face?: string][] = [
  ['/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular'],
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', 'WenQuanYiMicroHei'],
];

export function findCjkFont(env: NodeJS.ProcessEnv = process.env): { file: string; face?: string } | null {
  if (env.HAITANG_PDF_FONT) return existsSync(env.HAITANG_PDF_FONT) ? { file: env.HAITANG_PDF_FONT, face: env.HAITANG_PDF_FONT_NAME } : null;
  for (const [file, face] of CANDIDATES) if (existsSync(file)) return { file, face };
  return null;
}

export interface CertificateFacts {
  number: string;
  residentName: string;
  idNumberMasked: string | null;
  totalMinutes: number;
  services: number;
  firstServiceAt: string | null;
  lastServiceAt: string | null;
  issuerName: string;
  issuedAt: string;
  records: { date: string; title: string; minutes: number }[];
}

const beijingDate = (iso: string) => {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
};
const hours = (minutes: number) => (Math.round((minutes / 60) * 10) / 10).toFixed(1);

export function renderCertificate(f: CertificateFacts): Promise<Buffer> {
  const font = findCjkFont();
  if (!font) throw new AppError('UNAVAILABLE', { detail: '服务器未安装中文字体,无法生成证明(请安装 fonts-noto-cjk 或设置 HAITANG_PDF_FONT)' });
  const doc = new PDFDocument({ size: 'A4', margin: 64, info: { Title: `志愿服务证明 ${f.number}`, Author: f.issuerName } });
  doc.registerFont('cjk', font.file, font.face);
  doc.font('cjk');
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.fontSize(10).fillColor('#666').text(`编号:${f.number}`, { align: 'right' });
  doc.moveDown(2);
  doc.fontSize(26).fillColor('#000').text('志愿服务证明', { align: 'center', characterSpacing: 6 });
  doc.moveDown(2);
  const period = f.firstServiceAt && f.lastServiceAt ? `${beijingDate(f.firstServiceAt)}至${beijingDate(f.lastServiceAt)}` : '';
  doc
    .fontSize(14)
    .text(
      `兹证明 ${f.residentName}${f.idNumberMasked ? `(身份证号 ${f.idNumberMasked})` : ''} ${period ? `于${period}期间` : ''}参加志愿服务活动 ${f.services} 次,经组织单位记录并确认的服务时长累计 ${hours(f.totalMinutes)} 小时(${f.totalMinutes} 分钟,不含往返路途时间)。`,
      { lineGap: 8, indent: 28 },
    );
  doc.moveDown();
  doc.fontSize(14).text('特此证明。', { indent: 28 });
  if (f.records.length) {
    doc.moveDown(1.5);
    doc.fontSize(11).fillColor('#333').text('服务记录:');
    doc.moveDown(0.3);
    for (const r of f.records.slice(0, 20)) doc.fontSize(10).text(`${r.date}  ${r.title}  ${r.minutes} 分钟`);
    if (f.records.length > 20) doc.fontSize(10).text(`…… 共 ${f.records.length} 条记录`);
  }
  doc.moveDown(3);
  doc.fillColor('#000').fontSize(14).text(`出具单位:${f.issuerName}`, { align: 'right' });
  doc.moveDown(0.5);
  doc.text(`出具日期:${beijingDate(f.issuedAt)}`, { align: 'right' });
  doc.end();
  return done;
}
