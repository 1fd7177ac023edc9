import { useEffect, useRef, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

// NL Design System components by their CSS (the Utrecht component library), with this
// application's design tokens (theme.css): a few thin React wrappers, no generic kit.

export function Heading({ level, children, id, tabIndex }: { level: 1 | 2 | 3 | 4; children: ReactNode; id?: string; tabIndex?: number }) {
  const Tag = `h${level}` as const;
  return (
    <Tag className={`utrecht-heading-${level}`} id={id} tabIndex={tabIndex}>
      {children}
    </Tag>
  );
}

export const Paragraph = ({ children, lead }: { children: ReactNode; lead?: boolean }) => <p className={`utrecht-paragraph${lead ? ' utrecht-paragraph--lead' : ''}`}>{children}</p>;

export function Button({ appearance = 'primary', className, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { appearance?: 'primary' | 'secondary' | 'subtle' }) {
  return <button type="button" className={`utrecht-button utrecht-button--${appearance}-action ${className ?? ''}`} {...rest} />;
}

export function Alert({ type, children, title }: { type: 'info' | 'ok' | 'warning' | 'error'; children: ReactNode; title?: string }) {
  return (
    <div className={`utrecht-alert utrecht-alert--${type}`} role={type === 'error' || type === 'warning' ? 'alert' : 'status'}>
      <div className="utrecht-alert__content">
        {title && <p className="utrecht-alert__title utrecht-paragraph"><strong>{title}</strong></p>}
        <div className="utrecht-alert__message">{children}</div>
      </div>
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="utrecht-paragraph maatlat-loading" role="status" aria-live="polite">
      {t('state.loading')}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="utrecht-paragraph maatlat-empty">{children}</p>;
}

/** What went wrong, said for a person, with what to do about it; never the raw problem. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const status = error instanceof ApiError ? error.status : -1;
  const problem = error instanceof ApiError ? error.problem : null;
  const message =
    status === 403
      ? t('state.forbidden')
      : status === 401
        ? t('state.unauthorised')
        : status === 404
          ? t('state.notFound')
          : status === 503
            ? t('state.unavailable')
            : status === 0
              ? t('state.offline')
              : status === 400 || status === 422
                ? `${t('state.invalid')} ${problem?.detail ?? ''}`
                : t('state.unknown', { status, correlation: problem?.correlationId ?? '—' });
  return (
    <Alert type="error" title={t('state.errorTitle')}>
      <p className="utrecht-paragraph">{message}</p>
      {problem?.errors && problem.errors.length > 0 && (
        <ul className="utrecht-unordered-list">
          {problem.errors.map((e) => (
            <li key={`${e.field}-${e.problem}`}>
              <code className="utrecht-code">{e.field}</code>: {e.problem}
            </li>
          ))}
        </ul>
      )}
      {onRetry && status !== 403 && status !== 404 && (
        <Button appearance="secondary" onClick={onRetry}>
          {t('state.retry')}
        </Button>
      )}
    </Alert>
  );
}

/** Moves focus to a page's heading when it opens: a screen reader hears where it landed. */
export function PageHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 className="utrecht-heading-1" tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

export function Field({ label, htmlFor, hint, children }: { label: string; htmlFor: string; hint?: string; children: ReactNode }) {
  return (
    <div className="utrecht-form-field">
      <div className="utrecht-form-field__label">
        <label className="utrecht-form-label" htmlFor={htmlFor}>
          {label}
        </label>
      </div>
      {hint && (
        <div className="utrecht-form-field__description utrecht-form-field-description" id={`${htmlFor}-hint`}>
          {hint}
        </div>
      )}
      <div className="utrecht-form-field__input">{children}</div>
    </div>
  );
}
