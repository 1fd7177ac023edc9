import { useTranslation } from 'react-i18next';
import { PageHeading } from '../../ui';

export default function Assessment(props: Record<string, string>) {
  const { t } = useTranslation();
  return <PageHeading>{t('app.name')} {Object.values(props).join(" ")}</PageHeading>;
}
