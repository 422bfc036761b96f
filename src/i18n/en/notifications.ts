import type { MessageCatalogue } from '../catalogue.ts';

/** E-mail notifications and the outbox page of the super-admins. */
export const notifications: MessageCatalogue['notifications'] = {
  mail: {
    greeting: 'Hello,',
    details: 'Internship: {subject}\nHost organisation: {host}\nPeriod: from {start} to {end}',
    link: 'View the convention: {url}',
    amendmentLink: 'View the amendment: {url}',
    signature: '—\nConventio, internship agreement management.\nThis message is sent automatically: please do not reply to it.',
    unknown: 'not provided',
    submitted: {
      subject: 'Convention no. {number} submitted by {student}',
      intro: 'Internship convention no. {number} of {student} (management centre: {centre}) has just been submitted by {actor}. It is awaiting your review.',
    },
    changed_by_student: {
      subject: 'Convention no. {number} changed by {student}',
      intro: 'Internship convention no. {number} of {student} (management centre: {centre}) has just been changed by the student. Please check the changes.',
    },
    validated: {
      subject: 'Your internship convention no. {number} is validated',
      intro: 'Your internship convention no. {number} has been validated by the management centre {centre}. You can now print it and have it signed.',
    },
    refused: {
      subject: 'Your internship convention no. {number} has been refused',
      intro: 'Your internship convention no. {number} has been refused by the management centre {centre}.',
      reason: 'Reason for the refusal: {reason}',
      noReason: 'No reason was given: contact your management centre.',
    },
    amendment_validated: {
      subject: 'Amendment no. {amendment} to internship convention no. {number} validated',
      intro:
        'Amendment no. {amendment} to internship convention no. {number} of {student} has been validated by the management centre {centre}. Its values now apply to the internship.',
      reason: 'Reason for the amendment: {reason}',
    },
  },
  outbox: {
    title: 'Notification e-mails',
    adminLink: 'Notification e-mails',
    adminText: 'E-mail notifications, their recipients and their sending status.',
    intro: 'The last 200 notification e-mails, most recent first: recipient, subject, sending status and text.',
    demoNotice: 'Demo mode: no message is sent, they stay here.',
    empty: 'No message for the moment.',
    caption: 'Messages',
    createdAt: 'Created on',
    recipient: 'Recipient',
    subject: 'Subject',
    status: 'Status',
    text: 'Text',
    showText: 'Show the text',
    attempts: 'Attempts: {attempts}',
    lastError: 'Last error: {error}',
    nextAttempt: 'Next attempt: {at}',
    statuses: {
      queued: 'Queued',
      sent: 'Sent',
      failed: 'Failed',
    },
  },
};
