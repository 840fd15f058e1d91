import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { requireSiteOrganiser } from '~/.server/auth';
import { createConsultation } from '~/.server/consultations';
import { handler, submitForm } from '~/.server/http';
import { NewConsultationSchema } from '~/lib/schemas/consultations';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ConsultationFields, consultationLabels } from '~/ui/consultation-fields';
import { ErrorSummary } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [{ title: 'Create a consultation – Open Consultation' }];

export const loader = handler(async ({ viewer }) => {
  requireSiteOrganiser(viewer, 'You do not have permission to do that.');
  return null;
});

export const action = handler(async ({ request, db, viewer, ctx }) =>
  submitForm(request, NewConsultationSchema, async (input) => {
    const consultation = await createConsultation(db, viewer, input, ctx);
    return redirect(`/organise/${consultation.slug}?saved=created`);
  }),
);

export default function NewConsultation() {
  const feedback = useActionData<typeof action>();
  return (
    <>
      <Breadcrumbs items={[{ to: '/organise', label: 'Organise' }]} />
      <h1>Create a consultation</h1>
      <p className="lead">
        It starts as a draft that only organisers can see. Add recommendations, then open it.
      </p>
      <ErrorSummary feedback={feedback} labels={consultationLabels} />
      <Form method="post" className="form" noValidate>
        <ConsultationFields feedback={feedback} withSlug />
        <div className="button-row">
          <SubmitButton pendingText="Creating…">Create draft</SubmitButton>
          <Link to="/organise">Cancel</Link>
        </div>
      </Form>
    </>
  );
}
