import { expandFields } from './field-expansion';
import { readHealthStatus, WABA_HEALTH_FIELDS, worstCanSend } from './health-status';

describe('health_status', () => {
  it('takes the worst entity as the overall value, as Meta does', () => {
    expect(worstCanSend([])).toBe('AVAILABLE');
    expect(worstCanSend(['AVAILABLE', 'LIMITED'])).toBe('LIMITED');
    expect(worstCanSend(['LIMITED', 'BLOCKED', 'AVAILABLE'])).toBe('BLOCKED');
  });

  it("reads Meta's shape and drops entities and values it does not know", () => {
    const read = readHealthStatus({
      can_send_message: 'BLOCKED',
      entities: [
        { entity_type: 'WABA', id: '1', can_send_message: 'BLOCKED', errors: [{ error_code: 141006, error_description: 'Payment', possible_solution: 'Pay' }] },
        { entity_type: 'PHONE_NUMBER', id: '2', can_send_message: 'LIMITED', additional_info: ['Limited for now'] },
        { entity_type: 'SOMETHING_NEW', id: '3', can_send_message: 'AVAILABLE' },
        { entity_type: 'APP', id: '4', can_send_message: 'MAYBE' },
      ],
    });
    expect(read).toEqual({
      can_send_message: 'BLOCKED',
      entities: [
        { entity_type: 'WABA', id: '1', can_send_message: 'BLOCKED', errors: [{ error_code: 141006, error_description: 'Payment', possible_solution: 'Pay' }] },
        { entity_type: 'PHONE_NUMBER', id: '2', can_send_message: 'LIMITED', additional_info: ['Limited for now'] },
      ],
    });
    expect(readHealthStatus({ can_send_message: 'PERHAPS' })).toBeUndefined();
    expect(readHealthStatus(null)).toBeUndefined();
  });

  it('asks for a WABA, its subscribers and its numbers with their health in one fields parameter', () => {
    expect(expandFields(WABA_HEALTH_FIELDS)).toBe(
      'id,name,account_review_status,health_status,subscribed_apps{whatsapp_business_api_data,override_callback_uri},' +
        'phone_numbers.limit(100){id,display_phone_number,verified_name,quality_rating,code_verification_status,name_status,status,platform_type,throughput,whatsapp_business_manager_messaging_limit,is_on_biz_app,last_onboarded_time,health_status}',
    );
  });
});
