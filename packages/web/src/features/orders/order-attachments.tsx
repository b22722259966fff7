import { Image, Space } from 'antd';
import { attachmentUrl } from './orders-api';

/** Photos of an order as thumbnails; a click opens the preview (all photos of the group). */
export function AttachmentThumbs({ orderId, ids, size = 64, testId }: { orderId: number; ids: number[]; size?: number; testId?: string }) {
  if (!ids.length) return null;
  return (
    <Image.PreviewGroup>
      <Space wrap size={6} data-testid={testId}>
        {ids.map((id) => (
          <Image
            key={id}
            src={attachmentUrl(orderId, id)}
            width={size}
            height={size}
            style={{ objectFit: 'cover', borderRadius: 4 }}
            alt=""
            data-testid="order-attachment"
          />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}
