// The home page is the review queue.
export { default, dynamic, metadata } from './queue/page';
