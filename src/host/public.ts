/** Host administration: doctor (what works on this machine) and setup (start the engine). */
export {
  type DoctorOptions,
  type DoctorReport,
  type EngineFacts,
  type RegistryCheck,
  runDoctor,
} from "./doctor.js";
