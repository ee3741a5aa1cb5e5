/** CanaryApp's Services concern: port, port name and target port. */
import { PORT_NAME_RULE, PORT_NUMBER_RULE, isPortName, isPortNumber } from './_checks';
import type { Resolved } from './_app-resolved';
import { templatePorts, type ResolvedWorkload } from './_workload';
import type { CanaryAppProps } from './canary-app-props';
import type { ProblemList } from './canary-app-error';
import { CANARY_APP_DEFAULTS } from './defaults';

/** The Services' port, port name and target port; a named target port must be a container port's name. */
export function resolveService(given: CanaryAppProps['service'], workload: ResolvedWorkload | undefined, problems: ProblemList): Resolved['service'] {
  const d = CANARY_APP_DEFAULTS;
  const serviceProps = given ?? {};
  const service = {
    port: serviceProps.port ?? d.servicePort,
    targetPort: serviceProps.targetPort ?? d.targetPortName,
    portName: serviceProps.portName ?? d.targetPortName,
  };
  if (!isPortNumber(service.port)) problems.add('service.port', service.port, PORT_NUMBER_RULE);
  if (!isPortName(service.portName)) problems.add('service.portName', service.portName, PORT_NAME_RULE);
  if (workload) checkTargetPort(service.targetPort, workload, problems);
  return service;
}

function checkTargetPort(targetPort: string | number, workload: ResolvedWorkload, problems: ProblemList): void {
  const ports = templatePorts(workload.template);
  const base = workload.source === 'containers' ? 'containers' : `${workload.source === 'deployment' ? 'deployment.spec' : 'deploymentSpec'}.template.spec.containers`;
  if (typeof targetPort === 'string') {
    if (!isPortName(targetPort)) {
      problems.add('service.targetPort', targetPort, `${PORT_NAME_RULE} (or a port number)`);
    } else if (!ports.names.includes(targetPort)) {
      const have = [...ports.names.map((n) => `"${n}"`), ...ports.unnamed.map((n) => `${n} (unnamed)`)];
      problems.add('service.targetPort', targetPort, `is not the name of a container port (${base} has ${have.length ? have.join(', ') : 'no ports'}); name the port "${targetPort}" or set service.targetPort`);
    }
  } else if (!isPortNumber(targetPort)) {
    problems.add('service.targetPort', targetPort, `${PORT_NUMBER_RULE}, or a container port name`);
  }
}
