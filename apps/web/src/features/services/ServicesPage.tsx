import { useCallback, useEffect, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  NEED_TYPES,
  REGIONS,
  SERVICE_CAPACITIES,
  type NeedType,
  type Service,
  type ServiceCapacity,
  type ServiceQuery,
} from '@tiaki/domain';
import { isConflict, ReloadOffer } from '../../components/conflict.tsx';
import { Panel } from '../../components/Panel.tsx';
import { CheckboxGroup, Form, SelectField, TextAreaField, TextField } from '../../components/forms.tsx';
import { regionOptions } from '../../components/regions.tsx';
import { Page } from '../../components/Page.tsx';
import { ListIntro } from '../../components/tables.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { useForm } from '../../components/useForm.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useCan, useSession } from '../auth/session.tsx';
import { organisationsApi } from '../organisations/api.ts';
import { servicesApi } from './api.ts';
import { ServiceSummary } from './ServiceSummary.tsx';

interface Filter {
  needType: string;
  region: string;
  age: string;
}
const NO_FILTER: Filter = { needType: '', region: '', age: '' };

function toQuery(filter: Filter): ServiceQuery {
  const result: ServiceQuery = {};
  if (filter.needType) result.needType = filter.needType as NeedType;
  if (filter.region) result.region = filter.region;
  if (/^\d{1,2}$/.test(filter.age)) result.age = Number(filter.age);
  return result;
}

type Editing = { mode: 'create' } | { mode: 'edit'; service: Service } | null;

/** /services: the directory of specialist services; providers and administrators keep it up to date. */
export function ServicesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { user } = useSession();
  const [draft, setDraft] = useState<Filter>(NO_FILTER);
  const [applied, setApplied] = useState<Filter>(NO_FILTER);
  const load = useCallback(() => servicesApi.list(toQuery(applied)), [applied]);
  const { state, reload } = useLoad(load);
  const [editing, setEditing] = useState<Editing>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const filterForm = useForm(['needType', 'region', 'age']);
  const services = state.status === 'ready' ? state.data.services : [];
  const manages = can('services.manage');
  const isAdministrator = user.roles.includes('administrator');
  const mayEdit = (service: Service) =>
    manages && (isAdministrator || service.provider.id === user.organisation.id);

  const apply = (event: SubmitEvent) => {
    event.preventDefault();
    if (draft.age && !/^\d{1,2}$/.test(draft.age)) {
      filterForm.setErrors({
        form: t('forms.fixErrors'),
        other: [],
        fields: { age: t('services.ageInvalid') },
      });
      return;
    }
    filterForm.setErrors({ form: null, other: [], fields: {} });
    setApplied(draft);
  };

  return (
    <Page title={t('services.title')} lead={t('services.lead')}>
      <ListIntro
        success={success}
        addLabel={manages && editing === null && t('services.add')}
        onAdd={() => {
          setSuccess(null);
          setEditing({ mode: 'create' });
        }}
      />
      {editing ? (
        <ServiceForm
          key={editing.mode === 'edit' ? `${editing.service.id}:${String(editing.service.version)}` : 'new'}
          service={editing.mode === 'edit' ? editing.service : null}
          isAdministrator={isAdministrator}
          knownProviders={services.map((s) => s.provider)}
          onCancel={() => {
            setEditing(null);
          }}
          onSaved={async (message) => {
            setEditing(null);
            setSuccess(message);
            await reload();
          }}
          onReload={() => {
            setEditing(null);
            void reload();
          }}
        />
      ) : null}
      <section className="panel" aria-labelledby="services-filter">
        <h2 id="services-filter" className="panel-heading">
          {t('services.filterHeading')}
        </h2>
        <Form
          form={filterForm}
          className="filter-form"
          submitLabel={t('services.applyFilter')}
          onSubmit={apply}
          actions={
            Object.values(applied).some(Boolean) ? (
              <button
                type="button"
                className="button button-secondary"
                onClick={() => {
                  setDraft(NO_FILTER);
                  setApplied(NO_FILTER);
                }}
              >
                {t('services.clearFilter')}
              </button>
            ) : null
          }
        >
          <div className="filter-fields">
            <SelectField
              label={t('services.filters.need')}
              name="needType"
              placeholder={t('services.filters.anyNeed')}
              options={NEED_TYPES.map((value) => ({ value, label: t(`services.needTypes.${value}`) }))}
              value={draft.needType}
              onChange={(needType) => {
                setDraft((f) => ({ ...f, needType }));
              }}
            />
            <SelectField
              label={t('services.filters.region')}
              name="region"
              placeholder={t('services.filters.anyRegion')}
              options={REGIONS.map((region) => ({ value: region.code, label: region.name }))}
              value={draft.region}
              onChange={(region) => {
                setDraft((f) => ({ ...f, region }));
              }}
            />
            <TextField
              label={t('services.filters.age')}
              name="age"
              inputMode="numeric"
              width="short"
              optional
              value={draft.age}
              onChange={(age) => {
                setDraft((f) => ({ ...f, age }));
              }}
              error={filterForm.errors.fields.age}
            />
          </div>
        </Form>
      </section>
      <h2 className="section-heading">{t('services.listHeading', { count: services.length })}</h2>
      <LoadStatus state={state} onRetry={() => void reload()} />
      {state.status === 'ready' && services.length === 0 ? <p>{t('services.empty')}</p> : null}
      <ul className="item-list">
        {services.map((service) => (
          <li key={service.id} className="item">
            <ServiceSummary service={service} />
            {mayEdit(service) ? (
              <div className="row-actions">
                <button
                  type="button"
                  className="button button-small button-secondary"
                  aria-describedby={`service-${service.id}`}
                  onClick={() => {
                    setSuccess(null);
                    setEditing({ mode: 'edit', service });
                  }}
                >
                  {t('actions.edit')}
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </Page>
  );
}

const FIELDS = [
  'providerOrganisationId',
  'name',
  'description',
  'needTypes',
  'regions',
  'minAge',
  'maxAge',
  'capacity',
  'contact',
] as const;

function ServiceForm({
  service,
  isAdministrator,
  knownProviders,
  onCancel,
  onSaved,
  onReload,
}: {
  service: Service | null;
  isAdministrator: boolean;
  knownProviders: { id: string; name: string }[];
  onCancel: () => void;
  onSaved: (message: string) => Promise<void>;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const { user } = useSession();
  const form = useForm(FIELDS);
  const [providerId, setProviderId] = useState(
    service?.provider.id ?? (isAdministrator ? '' : user.organisation.id),
  );
  const [name, setName] = useState(service?.name ?? '');
  const [description, setDescription] = useState(service?.description ?? '');
  const [needTypes, setNeedTypes] = useState<NeedType[]>(service?.needTypes ?? []);
  const [regions, setRegions] = useState<string[]>(service?.regions ?? []);
  const [minAge, setMinAge] = useState(String(service?.minAge ?? 0));
  const [maxAge, setMaxAge] = useState(String(service?.maxAge ?? 17));
  const [capacity, setCapacity] = useState<ServiceCapacity>(service?.capacity ?? 'accepting');
  const [contact, setContact] = useState(service?.contact ?? '');
  const [active, setActive] = useState(service?.isActive ?? true);
  const [conflict, setConflict] = useState(false);
  const [directory, setDirectory] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    if (!isAdministrator) return;
    let cancelled = false;
    organisationsApi.directory().then(
      ({ organisations }) => {
        if (!cancelled) setDirectory(organisations);
      },
      () => {
        // Providers already in the directory remain to choose from.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [isAdministrator]);
  const providers = new Map([...knownProviders, ...directory].map((p) => [p.id, p.name]));

  const check = () => {
    const problems: Record<string, string> = {};
    if (!providerId) problems.providerOrganisationId = t('services.form.providerRequired');
    if (!name.trim()) problems.name = t('services.form.nameRequired');
    if (needTypes.length === 0) problems.needTypes = t('services.form.needsRequired');
    if (regions.length === 0) problems.regions = t('services.form.regionsRequired');
    const min = Number(minAge);
    const max = Number(maxAge);
    if (!/^\d{1,2}$/.test(minAge) || min > 25) problems.minAge = t('services.form.ageInvalid');
    if (!/^\d{1,2}$/.test(maxAge) || max > 25) problems.maxAge = t('services.form.ageInvalid');
    else if (min > max) problems.maxAge = t('services.form.ageOrder');
    return problems;
  };

  const body = {
    name: name.trim(),
    description: description.trim(),
    needTypes,
    regions,
    minAge: Number(minAge),
    maxAge: Number(maxAge),
    capacity,
    contact: contact.trim(),
  };

  return (
    <Panel heading={service ? t('services.form.editHeading', { name: service.name }) : t('services.add')}>
      <Form
        form={form}
        submitLabel={service ? t('actions.saveChanges') : t('services.form.create')}
        onCancel={onCancel}
        onSubmit={(event) =>
          form.submit(event, {
            check,
            send: async () => {
              if (service) {
                await servicesApi.update(service.id, { ...body, isActive: active, version: service.version });
                await onSaved(t('services.form.saved', { name: body.name }));
              } else {
                await servicesApi.create({ ...body, providerOrganisationId: providerId });
                await onSaved(t('services.form.created', { name: body.name }));
              }
            },
            failed: (error, found) => {
              setConflict(isConflict(error));
              return found;
            },
          })
        }
      >
        {service ? (
          <p className="meta">{t('services.form.providerIs', { name: service.provider.name })}</p>
        ) : isAdministrator ? (
          <SelectField
            label={t('services.form.provider')}
            hint={t('services.form.providerHint')}
            name="providerOrganisationId"
            placeholder={t('forms.choose')}
            options={[...providers].map(([value, label]) => ({ value, label }))}
            value={providerId}
            onChange={setProviderId}
            error={form.errors.fields.providerOrganisationId}
          />
        ) : (
          <p className="meta">{t('services.form.providerIs', { name: user.organisation.name })}</p>
        )}
        <TextField
          label={t('services.form.name')}
          name="name"
          value={name}
          onChange={setName}
          error={form.errors.fields.name}
        />
        <TextAreaField
          label={t('services.form.description')}
          name="description"
          optional
          rows={3}
          value={description}
          onChange={setDescription}
          error={form.errors.fields.description}
        />
        <CheckboxGroup
          legend={t('services.helpsWith')}
          name="needTypes"
          options={NEED_TYPES.map((value) => ({ value, label: t(`services.needTypes.${value}`) }))}
          values={needTypes}
          onChange={setNeedTypes}
          error={form.errors.fields.needTypes}
          columns
        />
        <CheckboxGroup
          legend={t('services.regions')}
          name="regions"
          options={regionOptions}
          values={regions}
          onChange={setRegions}
          error={form.errors.fields.regions}
          columns
        />
        <div className="filter-fields">
          <TextField
            label={t('services.form.minAge')}
            name="minAge"
            inputMode="numeric"
            width="short"
            value={minAge}
            onChange={setMinAge}
            error={form.errors.fields.minAge}
          />
          <TextField
            label={t('services.form.maxAge')}
            name="maxAge"
            inputMode="numeric"
            width="short"
            value={maxAge}
            onChange={setMaxAge}
            error={form.errors.fields.maxAge}
          />
        </div>
        <SelectField
          label={t('services.form.capacity')}
          name="capacity"
          options={SERVICE_CAPACITIES.map((value) => ({ value, label: t(`services.capacities.${value}`) }))}
          value={capacity}
          onChange={(value) => {
            setCapacity(value as ServiceCapacity);
          }}
          error={form.errors.fields.capacity}
        />
        <TextAreaField
          label={t('services.contact')}
          hint={t('services.form.contactHint')}
          name="contact"
          optional
          rows={2}
          value={contact}
          onChange={setContact}
          error={form.errors.fields.contact}
        />
        {service ? (
          <SelectField
            label={t('services.form.listed')}
            name="isActive"
            options={[
              { value: 'yes', label: t('services.form.listedYes') },
              { value: 'no', label: t('services.form.listedNo') },
            ]}
            value={active ? 'yes' : 'no'}
            onChange={(value) => {
              setActive(value === 'yes');
            }}
          />
        ) : null}
      </Form>
      {conflict ? <ReloadOffer onReload={onReload} /> : null}
    </Panel>
  );
}
