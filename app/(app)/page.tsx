// The home page is the review queue.
import QueuePage from './queue/page';

export { metadata } from './queue/page';
export const dynamic = 'force-dynamic';

export default QueuePage;
