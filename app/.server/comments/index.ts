export {
  COMMENTS_PER_MINUTE,
  COMMENTS_PER_HOUR,
  COMMENTS_PER_IP,
  REPORTS_PER_ACCOUNT,
  COMMENT_EDITS_PER_ACCOUNT,
  HELPFUL_VOTES_PER_ACCOUNT,
} from './limits';
export { type PostedComment } from './stored-comment';
export { postComment } from './posting';
export { editComment, deleteComment } from './editing';
export { voteHelpful, unvoteHelpful } from './votes';
export { reportComment } from './reports';
export {
  listComments,
  getComment,
  countComments,
  COMMENTS_PAGE_SIZE,
  REPLIES_PER_THREAD,
  COMMENT_NOTICES,
  type CommentView,
  type CommentsPage,
} from './listing';
