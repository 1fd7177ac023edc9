import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../api/client';
import { Link } from '../../router';
import { Empty, ErrorState, Loading, PageHeading } from '../../ui';

export default function Organisations() {
  const { t } = useTranslation();
  const organisations = useQuery({ queryKey: ['organisations'], queryFn: () => data(api.GET('/organisations')) });
  return (
    <>
      <PageHeading>{t('coordinator.organisations')}</PageHeading>
      {organisations.isPending && <Loading />}
      {organisations.error && <ErrorState error={organisations.error} onRetry={() => void organisations.refetch()} />}
      {organisations.data?.length === 0 && <Empty>{t('coordinator.noOrganisations')}</Empty>}
      <ul className="utrecht-link-list">
        {organisations.data?.map((o) => (
          <li className="utrecht-link-list__item" key={o.organisationId}>
            <Link href={`/organisations/${o.organisationId}`}>{o.name}</Link>
          </li>
        ))}
      </ul>
    </>
  );
}
