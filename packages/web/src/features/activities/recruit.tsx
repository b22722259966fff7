import { CopyOutlined, DownloadOutlined } from '@ant-design/icons';
import type { ActivityView } from '@haitang/contracts';
import { Button, Input, Modal, QRCode, Space } from 'antd';
import { useRef, useState } from 'react';
import { useI18n } from '../../i18n';
import { useNotify } from '../common/use-notify';
import { kindLabel, timeRange } from './labels';

/** The share page of an activity (no account needed to read it). */
export const shareUrl = (id: number) => `${window.location.origin}/a/${id}`;

/** Ready-to-paste text for the community's chat groups. */
export function chatText(a: ActivityView, locale: 'zh-CN' | 'en'): string {
  const seats = a.capacity === null ? '不限名额' : `名额 ${a.capacity} 人(已报名 ${a.confirmedCount} 人)`;
  return [
    `【${a.orgName}】${a.title}`,
    `类型:${kindLabel(a.kind, locale)}`,
    `时间:${timeRange(a.startsAt, a.endsAt)}`,
    `地点:${a.place}`,
    a.teamName || a.organiser ? `组织:${a.teamName ?? a.organiser}` : '',
    seats,
    a.description ? a.description.slice(0, 120) : '',
    `报名:${shareUrl(a.id)}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * Recruitment across channels: the share link and the chat text to copy, and a poster (PNG) with the
 * share page's QR code to print or send.
 */
export function RecruitModal({ activity, open, onClose }: { activity: ActivityView; open: boolean; onClose: () => void }) {
  const { t, locale } = useI18n();
  const { ok } = useNotify();
  const text = chatText(activity, locale);
  const qrBox = useRef<HTMLDivElement>(null);
  const [busy, setBusy] = useState(false);
  const copy = async (value: string) => {
    await navigator.clipboard?.writeText(value).catch(() => undefined);
    ok(t('recruit.copied'));
  };
  const poster = async () => {
    setBusy(true);
    try {
      const qr = qrBox.current?.querySelector('canvas');
      const canvas = document.createElement('canvas');
      canvas.width = 1080;
      canvas.height = 1527;
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#fff5f7';
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.fillStyle = '#c2185b';
      g.fillRect(0, 0, canvas.width, 220);
      g.fillStyle = '#fff';
      g.font = 'bold 56px "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
      g.fillText(activity.orgName, 80, 140);
      g.fillStyle = '#222';
      g.font = 'bold 72px "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
      wrap(g, activity.title, 80, 360, 920, 90);
      g.font = '44px "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
      const lines = [
        `${t('activity.time')}:${timeRange(activity.startsAt, activity.endsAt)}`,
        `${t('activity.place')}:${activity.place}`,
        activity.capacity === null ? t('activity.unlimited') : `${t('activity.capacity')}:${activity.capacity}`,
      ];
      lines.forEach((line, i) => wrap(g, line, 80, 620 + i * 80, 920, 56));
      g.imageSmoothingEnabled = false;
      if (qr) g.drawImage(qr, 340, 900, 400, 400);
      g.font = '40px "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
      g.fillStyle = '#555';
      g.textAlign = 'center';
      g.fillText(t('recruit.scanToSignUp'), 540, 1380);
      const link = document.createElement('a');
      link.download = `${activity.title}.png`;
      link.href = canvas.toDataURL('image/png');
      link.click();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} onCancel={onClose} footer={null} title={t('recruit.title')} width={560} destroyOnHidden>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space.Compact style={{ width: '100%' }}>
          <Input readOnly value={shareUrl(activity.id)} data-testid="recruit-link" />
          <Button icon={<CopyOutlined />} onClick={() => copy(shareUrl(activity.id))}>{t('recruit.copy')}</Button>
        </Space.Compact>
        <Input.TextArea readOnly rows={7} value={text} data-testid="recruit-text" />
        <Button icon={<CopyOutlined />} onClick={() => copy(text)} data-testid="recruit-copy-text">{t('recruit.copyText')}</Button>
        <div ref={qrBox} style={{ display: 'flex', justifyContent: 'center' }}>
          <QRCode value={shareUrl(activity.id)} size={200} type="canvas" errorLevel="M" />
        </div>
        <Button type="primary" icon={<DownloadOutlined />} onClick={poster} loading={busy} block data-testid="recruit-poster">{t('recruit.poster')}</Button>
      </Space>
    </Modal>
  );
}

/** Draws text wrapped at `width`, character by character (Chinese has no spaces to break at). */
function wrap(g: CanvasRenderingContext2D, text: string, x: number, y: number, width: number, lineHeight: number) {
  let line = '';
  for (const ch of text) {
    if (g.measureText(line + ch).width > width && line) {
      g.fillText(line, x, y);
      line = ch;
      y += lineHeight;
    } else line += ch;
  }
  if (line) g.fillText(line, x, y);
}
