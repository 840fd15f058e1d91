import { data } from '@remix-run/node';

export const loader = () => {
  throw data({ message: null }, { status: 404 });
};

export const action = loader;

export default function NotFound() {
  return null;
}
