import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { addRecommendation, getConsultationForEditing } from '~/.server/consultations';
import { handler, submitForm } from '~/.server/http';
import { NewRecommendationSchema } from '~/lib/schemas/consultations';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ErrorSummary } from '~/ui/form';
import { RecommendationFields, recommendationLabels } from '~/ui/recommendation-fields';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [{ title: 'Add a recommendation – Open Consultation' }];

export const loader = handler(async ({ db, viewer, params }) => {
  const { consultation } = await getConsultationForEditing(db, params.slug!, viewer);
  return { consultation: { slug: consultation.slug, title: consultation.title } };
});

export const action = handler(async ({ request, db, viewer, params, ctx }) =>
  submitForm(request, NewRecommendationSchema, async (input) => {
    await addRecommendation(db, viewer, params.slug!, input, ctx);
    return redirect(`/organise/${params.slug}?saved=recommendation#recommendations`);
  }),
);

export default function NewRecommendation() {
  const { consultation } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/organise', label: 'Organise' },
          { to: `/organise/${consultation.slug}`, label: consultation.title },
        ]}
      />
      <h1>Add a recommendation</h1>
      <ErrorSummary feedback={feedback} labels={recommendationLabels} />
      <Form method="post" className="form" noValidate>
        <RecommendationFields feedback={feedback} withSlug />
        <div className="button-row">
          <SubmitButton pendingText="Adding…">Add recommendation</SubmitButton>
          <Link to={`/organise/${consultation.slug}`}>Cancel</Link>
        </div>
      </Form>
    </>
  );
}
