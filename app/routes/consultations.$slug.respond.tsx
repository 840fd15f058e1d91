import { Outlet, useLoaderData, useLocation, useMatches } from '@remix-run/react';
import { handler } from '~/.server/http';
import { getRespondOutline } from '~/.server/responses';
import {
  questionStepOf,
  questionStepPath,
  questionnaireSteps,
  stepAfterSaving,
  stepPosition,
} from '~/lib/questionnaire-steps';
import { BackLink, Progress } from '~/ui/questionnaire';

// Every page of responding renders in here: the receipt and the withdrawal as they are, the
// question steps under the Back link and progress they share. The loader reads only what all
// of them may use: the consultation and the slugs of the recommendations asked about.

export const loader = handler(async ({ db, viewer, params }) =>
  getRespondOutline(db, viewer, params.slug!),
);

export default function Respond() {
  const { consultation: c, recommendations } = useLoaderData<typeof loader>();
  const matches = useMatches();
  const location = useLocation();
  const page = matches[matches.length - 1];
  const step = questionStepOf(page?.handle);
  if (!page || !step) return <Outlet />;
  const steps = questionnaireSteps(
    c.slug,
    recommendations.map((r) => r.slug),
  );
  const position = stepPosition(steps, questionStepPath(c.slug, step, page.params.recommendation));
  return (
    <div className="narrow">
      <BackLink to={stepAfterSaving(c.slug, location.search, position.previous)} />
      <Progress step={position.step} total={position.total} />
      <Outlet />
    </div>
  );
}
