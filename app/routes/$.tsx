import { data } from '@remix-run/node';

// No message: the root ErrorBoundary's 404 text says everything there is to say.
export const loader = () => {
  throw data({}, { status: 404 });
};

export const action = loader;

export default function NotFound() {
  return null;
}
